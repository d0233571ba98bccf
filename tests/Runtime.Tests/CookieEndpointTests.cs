using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TypedSessions.Core;
using TypedSessions.Hosting;

namespace TypedSessions.Runtime.Tests;

/// <summary>The endpoint where a Blazor circuit's browser trades a ticket for its new session cookie.</summary>
public sealed class CookieEndpointTests
{
    private const string Endpoint = "/_typedsessions/cookie";

    [Fact]
    public async Task A_ticket_issues_the_cookie_of_its_session()
    {
        await using var app = await TestApp.StartAsync();
        var owner = app.NewClient();
        await owner.PostAsync("/note/from-a-circuit");
        var sessionId = app.SessionIdOf(owner);
        var browser = app.NewClient();

        var answer = await browser.PostContentAsync(Endpoint, Tickets(app).Create(SessionCookieChange.Issue, sessionId, []));

        Assert.Equal("ok", answer);
        Assert.Contains("no-store", browser.LastResponse!.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal("from-a-circuit", await browser.GetAsync("/note"));
    }

    [Fact]
    public async Task A_delete_ticket_expires_the_cookie()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/note/x");

        await browser.PostContentAsync(Endpoint, Tickets(app).Create(SessionCookieChange.Delete, [], []));

        Assert.Null(browser.SessionCookie());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a ticket")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Anything_but_a_ticket_is_a_400_that_sets_no_cookie(string body)
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();

        var response = await browser.SendRawAsync(HttpMethod.Post, Endpoint, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task An_expired_ticket_is_refused()
    {
        await using var app = await TestApp.StartAsync();
        var ticket = Tickets(app).Create(SessionCookieChange.Issue, new byte[32], []);
        app.Time.Advance(TimeSpan.FromMinutes(2));

        var response = await app.NewClient().SendRawAsync(HttpMethod.Post, Endpoint, ticket);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains("expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_session_cookie_is_not_a_ticket_and_get_is_not_allowed()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/note/x");

        var cookieAsTicket = await browser.SendRawAsync(HttpMethod.Post, Endpoint, browser.SessionCookie()!.Value);
        var get = await browser.SendRawAsync(HttpMethod.Get, Endpoint);

        Assert.Equal(HttpStatusCode.BadRequest, cookieAsTicket.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
    }

    private static SessionCookieTickets Tickets(TestApp app) => app.Services.GetRequiredService<SessionCookieTickets>();
}
