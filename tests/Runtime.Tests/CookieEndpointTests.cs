using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedSessions.Core;
using TypedSessions.Hosting;
using TypedSessions.Stores;
using TypedSessions.Cookies;

namespace TypedSessions.Runtime.Tests;

/// <summary>
/// The endpoint where a Blazor circuit's browser trades a ticket for its new session cookie, and the
/// attacks on it: each refusal test sends a ticket that is valid in every respect but the one under
/// test, so it fails if that one defence is removed.
/// </summary>
public sealed class CookieEndpointTests
{
    private const string Endpoint = "/_typedsessions/cookie";

    [Fact]
    public async Task A_ticket_issues_the_cookie_of_its_session_to_the_browser_it_was_made_for()
    {
        await using var app = await TestApp.StartAsync();
        var owner = app.NewClient();
        await owner.PostAsync("/note/from-a-circuit");
        var sessionId = app.SessionIdOf(owner);
        var browser = app.NewClient();
        var binding = await BindAsync(app, browser);

        var response = await RedeemAsync(browser, Tickets(app).Create(SessionCookieChange.Issue, sessionId, null, binding, []));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal("from-a-circuit", await browser.GetAsync("/note"));
    }

    [Fact]
    public async Task A_delete_ticket_expires_the_cookie_and_the_response_is_not_cacheable()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/note/x");
        var binding = await BindAsync(app, browser);

        var response = await RedeemAsync(browser, Tickets(app).Create(SessionCookieChange.Delete, [], Holds(app, browser), binding, []));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(browser.SessionCookie());
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ticket_made_for_another_browser_is_refused_and_the_victim_keeps_its_cookie()
    {
        // The attacker's own ticket (from their circuit, bound to their browser), posted by the victim's browser.
        await using var app = await TestApp.StartAsync();
        var attacker = app.NewClient();
        await attacker.PostAsync("/note/attacker");
        var attackerBinding = await BindAsync(app, attacker);
        var attackerTicket = Tickets(app).Create(SessionCookieChange.Issue, app.SessionIdOf(attacker), null, attackerBinding, []);
        var victim = app.NewClient();
        await victim.PostAsync("/note/victim");
        await BindAsync(app, victim);
        var victimCookie = victim.SessionCookie()!.Value;

        var planted = await RedeemAsync(victim, attackerTicket);
        var unbound = await RedeemAsync(app.NewClient(), attackerTicket); // a browser with no binding cookie at all

        Assert.Equal(HttpStatusCode.BadRequest, planted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unbound.StatusCode);
        Assert.False(planted.Headers.Contains("Set-Cookie"));
        Assert.Equal(victimCookie, victim.SessionCookie()!.Value);
        Assert.Equal("victim", await victim.GetAsync("/note"));
    }

    [Fact]
    public async Task A_captured_ticket_is_worthless_in_another_browser()
    {
        // A page script reads the victim's ticket (after a sign-in renew) and redeems it in the attacker's browser.
        await using var app = await TestApp.StartAsync();
        var victim = app.NewClient();
        await victim.PostAsync("/note/secret");
        var victimBinding = await BindAsync(app, victim);
        var captured = Tickets(app).Create(SessionCookieChange.Issue, app.SessionIdOf(victim), Holds(app, victim), victimBinding, []);
        var thief = app.NewClient();
        await BindAsync(app, thief);

        var response = await RedeemAsync(thief, captured);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(thief.SessionCookie());
        Assert.Equal("", await thief.GetAsync("/note"));
    }

    [Fact]
    public async Task A_ticket_is_redeemed_once()
    {
        await using var app = await TestApp.StartAsync(stores: s => s.UseCookieStoreFor<Note>());
        var browser = app.NewClient();
        await browser.PostAsync("/counter/increment");
        var browserBinding = await BindAsync(app, browser);
        var ticket = Tickets(app).Create(SessionCookieChange.None, [], Holds(app, browser), browserBinding, [new SlotCookieWrite("note", null)]);

        var first = await RedeemAsync(browser, ticket);
        var replay = await RedeemAsync(browser, ticket);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.False(replay.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_stale_ticket_cannot_overwrite_a_cookie_that_moved_on()
    {
        // A circuit on the old ID made a ticket; meanwhile another tab renewed (signed in).
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/note/x");
        var binding = await BindAsync(app, browser);
        var stale = Tickets(app).Create(SessionCookieChange.Delete, [], Holds(app, browser), binding, []);
        await browser.PostAsync("/renew");
        var signedIn = browser.SessionCookie()!.Value;

        var response = await RedeemAsync(browser, stale);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("stale", await response.Content.ReadAsStringAsync());
        Assert.Equal(signedIn, browser.SessionCookie()!.Value);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Sec-Fetch-Site", "none")]
    [InlineData("Origin", "http://attacker.example")]
    [InlineData("Origin", "http://sub.localhost")]
    [InlineData("Origin", "null")]
    public async Task A_request_from_another_origin_is_refused(string header, string value)
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/note/x");
        var browserBinding = await BindAsync(app, browser);
        var ticket = Tickets(app).Create(SessionCookieChange.Delete, [], Holds(app, browser), browserBinding, []);

        var response = await RedeemAsync(browser, ticket, r => r.Headers.TryAddWithoutValidation(header, value));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotNull(browser.SessionCookie());
        Assert.Equal("x", await browser.GetAsync("/note"));
    }

    [Fact]
    public async Task A_form_post_which_cannot_send_the_header_is_refused()
    {
        // What a cross-site <form enctype="text/plain"> sends: the ticket as the body, no custom header.
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/note/x");
        var browserBinding = await BindAsync(app, browser);
        var ticket = Tickets(app).Create(SessionCookieChange.Delete, [], Holds(app, browser), browserBinding, []);

        var response = await browser.SendRawAsync(HttpMethod.Post, Endpoint, ticket);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotNull(browser.SessionCookie());
    }

    [Fact]
    public async Task The_apps_own_origin_is_accepted()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/note/x");
        var browserBinding = await BindAsync(app, browser);
        var ticket = Tickets(app).Create(SessionCookieChange.Delete, [], Holds(app, browser), browserBinding, []);

        var response = await RedeemAsync(browser, ticket, r =>
        {
            r.Headers.Add("Sec-Fetch-Site", "same-origin");
            r.Headers.Add("Origin", "http://localhost");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(browser.SessionCookie());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a ticket")]
    [InlineData("AA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Anything_but_a_ticket_is_a_400_that_sets_no_cookie(string body)
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await BindAsync(app, browser);

        var response = await RedeemAsync(browser, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task An_expired_ticket_is_refused()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        var browserBinding = await BindAsync(app, browser);
        var ticket = Tickets(app).Create(SessionCookieChange.Issue, new byte[32], null, browserBinding, []);
        app.Time.Advance(TimeSpan.FromMinutes(2));

        var response = await RedeemAsync(browser, ticket);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains("expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_session_cookie_is_not_a_ticket_and_get_is_not_allowed()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/note/x");
        await BindAsync(app, browser);

        var cookieAsTicket = await RedeemAsync(browser, browser.SessionCookie()!.Value);
        var get = await browser.SendRawAsync(HttpMethod.Get, Endpoint);

        Assert.Equal(HttpStatusCode.BadRequest, cookieAsTicket.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
    }

    [Fact]
    public async Task Refusals_are_logged_at_debug_with_one_summary_per_minute()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        for (var i = 0; i < 50; i++)
        {
            await RedeemAsync(browser, "garbage" + i);
        }

        app.Time.Advance(TimeSpan.FromMinutes(1));
        await RedeemAsync(browser, "garbage");

        var entries = app.Logs.Entries;
        Assert.DoesNotContain(entries, e => e.Level > LogLevel.Information);
        var summaries = entries.Where(e => e.Message.Contains("were refused since the last summary", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, summaries.Count);
        Assert.All(summaries, s => Assert.Equal(LogLevel.Information, s.Level));
        Assert.Equal(51, entries.Count(e => e.Level == LogLevel.Debug && e.Message.Contains("cookie endpoint was refused", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_negotiate_request_gets_a_binding_cookie_once_and_it_is_http_only()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();

        var first = await browser.SendRawAsync(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        var second = await browser.SendRawAsync(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        var page = await browser.SendRawAsync(HttpMethod.Get, "/note");

        var setCookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("TypedSessions-binding=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.False(second.Headers.Contains("Set-Cookie"));
        Assert.False(page.Headers.Contains("Set-Cookie"));
    }

    /// <summary>Gives <paramref name="browser"/> its binding cookie, as a circuit's negotiate request does, and returns its hash.</summary>
    internal static async Task<byte[]> BindAsync(TestApp app, CookieClient browser)
    {
        await browser.SendRawAsync(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = browser.Cookies.GetCookieHeader(new Uri("http://localhost/"));
        return app.Services.GetRequiredService<BrowserBinding>().HashOf(context) ?? throw new InvalidOperationException("No binding cookie.");
    }

    /// <summary>Posts <paramref name="ticket"/> as the browser's own fetch does: with the custom header.</summary>
    internal static Task<HttpResponseMessage> RedeemAsync(CookieClient browser, string ticket, Action<HttpRequestMessage>? configure = null) =>
        browser.SendRawAsync(HttpMethod.Post, Endpoint, ticket, r =>
        {
            r.Headers.Add(CookieEndpoint.RequestHeader, CookieEndpoint.RequestHeaderValue);
            configure?.Invoke(r);
        });

    private static SessionStoreId Holds(TestApp app, CookieClient browser) => SessionStoreId.FromSessionId(app.SessionIdOf(browser));

    private static SessionCookieTickets Tickets(TestApp app) => app.Services.GetRequiredService<SessionCookieTickets>();
}
