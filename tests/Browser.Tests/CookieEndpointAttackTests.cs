using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TypedSessions.Browser.Tests;

/// <summary>
/// The attacks on the cookie endpoint, performed in Chromium: an attacker's own ticket planted from
/// another site (a text/plain form) and from a sibling origin (fetch with credentials), a sign-out
/// ticket posted cross-site, and a victim's ticket captured by a page script and redeemed in another
/// browser. Each is refused and leaves the victim's cookie as it was.
/// </summary>
public sealed class CookieEndpointAttackTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Endpoint = "/_typedsessions/cookie";

    [Theory]
    [InlineData(false)] // an attacker's sign-in ticket: would plant their session
    [InlineData(true)]  // an attacker's sign-out ticket: would sign the victim out
    public async Task An_attackers_ticket_posted_by_a_cross_site_text_plain_form_changes_nothing(bool signOut)
    {
        var ticket = await AttackerTicketAsync(signOut);
        await using var victim = await SignedInVictimAsync();
        var before = await Pages.SessionCookieAsync(victim);

        var page = await AttackerPageAsync(victim, "http://attacker.test/", $"""
            <form id="f" method="post" enctype="text/plain" action="{AppUrl(Endpoint)}">
              <input type="hidden" name="{ticket[..^4]}" value="{ticket[^3..]}">
            </form>
            """);
        var response = await SubmitAsync(page, "document.getElementById('f').submit()");

        Assert.Equal(403, response.Status);
        await AssertStillSignedInAsync(victim, before);
    }

    [Fact]
    public async Task An_attackers_ticket_fetched_with_credentials_from_a_sibling_origin_does_not_plant_their_session()
    {
        var ticket = await AttackerTicketAsync(signOut: false);
        await using var victim = await SignedInVictimAsync();
        var before = await Pages.SessionCookieAsync(victim);

        // 127.0.0.1 on another port: the same site, another origin.
        using var sibling = new SiblingOrigin("<p>sibling</p>");
        var page = await victim.NewPageAsync();
        await page.GotoAsync(sibling.Address.ToString());
        var simple = await SubmitAsync(page, $"fetch('{AppUrl(Endpoint)}', {{ method: 'POST', credentials: 'include', mode: 'no-cors', body: '{ticket}' }})");
        var preflighted = await page.EvaluateAsync<string>($$"""
            fetch('{{AppUrl(Endpoint)}}', { method: 'POST', credentials: 'include', headers: { 'X-TypedSessions': 'cookie-ticket' }, body: '{{ticket}}' })
              .then(r => 'answered ' + r.status, e => 'blocked')
            """);

        Assert.Equal(403, simple.Status);
        Assert.Equal("blocked", preflighted); // the custom header needs a CORS preflight, which is never granted
        await AssertStillSignedInAsync(victim, before);
    }

    [Fact]
    public async Task A_ticket_captured_by_a_page_script_is_worthless_in_another_browser_and_replays_nowhere()
    {
        // The victim signs in on the interactive account page; a script on the page reads the ticket
        // (here: the request is observed on its way out) and hands it to the attacker.
        await using var victim = await browser.NewContextAsync();
        var captured = new ConcurrentQueue<string>();
        await victim.RouteAsync($"**{Endpoint}", async route =>
        {
            captured.Enqueue(route.Request.PostData ?? "");
            await route.ContinueAsync();
        });
        var account = await Pages.OpenInteractiveAsync(victim, "/account");
        await account.FillAsync("#sign-in-name", "alice");
        await account.ClickAsync("#sign-in");
        await Expect(account.Locator("#account-status")).ToHaveTextAsync("Signed in as alice.");
        var victimCookie = await Pages.SessionCookieAsync(victim);
        Assert.NotNull(victimCookie);
        Assert.True(captured.TryDequeue(out var ticket));

        // The attacker's own browser, on the app's own origin, with its own binding cookie (a circuit page).
        await using var thief = await browser.NewContextAsync();
        var thiefPage = await Pages.OpenInteractiveAsync(thief, "/shop");
        var status = await thiefPage.EvaluateAsync<int>($$"""
            fetch('{{Endpoint}}', { method: 'POST', credentials: 'same-origin', headers: { 'X-TypedSessions': 'cookie-ticket' }, body: '{{ticket}}' })
              .then(r => r.status)
            """);
        using var http = new HttpClient { BaseAddress = browser.App.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent(ticket) };
        request.Headers.Add("X-TypedSessions", "cookie-ticket");
        var replay = await http.SendAsync(request);

        Assert.Equal(400, status);
        Assert.Equal(400, (int)replay.StatusCode);
        Assert.Null(await Pages.SessionCookieAsync(thief));
        Assert.Equal(victimCookie, await Pages.SessionCookieAsync(victim));
        await Expect(account.Locator("#account-status")).ToHaveTextAsync("Signed in as alice.");
    }

    [Fact]
    public async Task A_ticket_body_cut_short_on_a_real_connection_is_refused_without_an_error_log()
    {
        for (var i = 0; i < 3; i++)
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(System.Net.IPAddress.Loopback, browser.App.BaseAddress.Port);
            var stream = tcp.GetStream();
            var head = $"POST {Endpoint} HTTP/1.1\r\nHost: 127.0.0.1:{browser.App.BaseAddress.Port}\r\nX-TypedSessions: cookie-ticket\r\nContent-Length: 100\r\n\r\nAAAAA";
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
            await stream.FlushAsync();
            await Task.Delay(200);
        }

        await Task.Delay(500);
        Assert.DoesNotContain("BadHttpRequestException", browser.App.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unexpected end of request content", browser.App.Output, StringComparison.Ordinal);
    }

    /// <summary>The attacker signs in as mallory in their own browser and keeps the ticket their circuit makes (never redeemed).</summary>
    private async Task<string> AttackerTicketAsync(bool signOut)
    {
        await using var attacker = await browser.NewContextAsync();
        var kept = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var redeemFirst = signOut; // to sign out, the attacker needs a session: the sign-in ticket goes through
        await attacker.RouteAsync($"**{Endpoint}", async route =>
        {
            if (redeemFirst)
            {
                redeemFirst = false;
                await route.ContinueAsync();
                return;
            }

            kept.TrySetResult(route.Request.PostData ?? "");
            await route.AbortAsync();
        });
        var account = await Pages.OpenInteractiveAsync(attacker, "/account");
        await account.FillAsync("#sign-in-name", "mallory");
        await account.ClickAsync("#sign-in");
        if (signOut)
        {
            await Expect(account.Locator("#account-status")).ToHaveTextAsync("Signed in as mallory.");
            await account.ClickAsync("#sign-out");
        }

        return await kept.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>A victim signed in as alice (the sample's /b-session signs in on a plain GET).</summary>
    private async Task<IBrowserContext> SignedInVictimAsync()
    {
        var victim = await browser.NewContextAsync();
        var page = await victim.NewPageAsync();
        await page.GotoAsync("/b-session");
        await Pages.OpenInteractiveAsync(victim, "/shop"); // a circuit page: the victim has a binding cookie too
        return victim;
    }

    private static async Task<IPage> AttackerPageAsync(IBrowserContext victim, string url, string body)
    {
        await victim.RouteAsync(url, route => route.FulfillAsync(new() { ContentType = "text/html", Body = $"<!doctype html><html><body>{body}</body></html>" }));
        var page = await victim.NewPageAsync();
        await page.GotoAsync(url);
        return page;
    }

    private static async Task<IResponse> SubmitAsync(IPage page, string script)
    {
        var answered = page.WaitForResponseAsync(r => r.Url.EndsWith(Endpoint, StringComparison.Ordinal));
        await page.EvaluateAsync(script);
        return await answered;
    }

    private static async Task AssertStillSignedInAsync(IBrowserContext victim, string? before)
    {
        Assert.Equal(before, await Pages.SessionCookieAsync(victim));
        var page = await victim.NewPageAsync();
        await page.GotoAsync("/b-session");
        await Expect(page.Locator("body")).ToContainTextAsync("Welcome back, alice!");
    }

    private string AppUrl(string path) => new Uri(browser.App.BaseAddress, path).ToString();
}
