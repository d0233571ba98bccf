using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TypedSessions.Blazor;
using TypedSessions.Core;
using TypedSessions.Hosting;
using TypedSessions.Cookies;

namespace TypedSessions.Runtime.Tests;

/// <summary>
/// A page of another origin (a sibling subdomain, another port) that opens a Blazor circuit to the app:
/// the browser sends the session cookie with the same-site WebSocket, but the circuit must not get the
/// user's session.
/// </summary>
public sealed class CircuitOriginTests
{
    [Theory]
    [InlineData("http://localhost", null, "secret")]
    [InlineData(null, "same-origin", "secret")]
    [InlineData("http://evil.localhost", null, "")]
    [InlineData("http://localhost:8080", null, "")]
    [InlineData(null, "same-site", "")]
    [InlineData("http://localhost", "cross-site", "")]
    public async Task A_circuit_opened_from_another_origin_starts_without_the_browsers_session(string? origin, string? fetchSite, string seen)
    {
        await using var app = await TestApp.StartAsync();
        var victim = app.NewClient();
        await victim.PostAsync("/note/secret");
        await CookieEndpointTests.BindAsync(app, victim);

        var connection = new DefaultHttpContext();
        connection.Request.Scheme = "http";
        connection.Request.Host = new HostString("localhost");
        connection.Request.Headers.Cookie = victim.Cookies.GetCookieHeader(new Uri("http://localhost/"));
        if (origin is not null)
        {
            connection.Request.Headers.Origin = origin;
        }

        if (fetchSite is not null)
        {
            connection.Request.Headers["Sec-Fetch-Site"] = fetchSite;
        }

        using var circuit = app.Services.CreateScope();
        var services = circuit.ServiceProvider;
        var binder = new CircuitSessionBinder(
            services.GetRequiredService<ActiveSession>(),
            services.GetRequiredService<SlotCookieJar>(),
            services.GetRequiredService<CookieOutbox>(),
            new HttpContextAccessor { HttpContext = connection },
            services.GetRequiredService<SessionCookie>(),
            services.GetRequiredService<BrowserBinding>(),
            services.GetRequiredService<SessionCookieTickets>(),
            js: null!,
            navigation: null!,
            services.GetRequiredService<IOptions<TypedSessionsOptions>>(),
            NullLogger<CircuitSessionBinder>.Instance);

        await binder.OnCircuitOpenedAsync(circuit: null!, CancellationToken.None);

        Assert.Equal(seen, (await services.GetRequiredService<ISession<Note>>().GetAsync()).Text);
        Assert.Equal(seen.Length == 0, services.GetRequiredService<ISessionContext>().IsNew);
    }

    [Fact]
    public async Task A_negotiate_request_from_another_origin_gets_no_binding_cookie()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();

        var foreign = await browser.SendRawAsync(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1", configure: r => r.Headers.Add("Origin", "http://evil.localhost"));
        var own = await browser.SendRawAsync(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1", configure: r => r.Headers.Add("Origin", "http://localhost"));

        Assert.False(foreign.Headers.Contains("Set-Cookie"));
        Assert.True(own.Headers.Contains("Set-Cookie"));
    }
}
