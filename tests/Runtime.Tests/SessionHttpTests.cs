using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedSessions.Serialization;
using TypedSessions.Stores;
using TypedSessions.Cookies;

namespace TypedSessions.Runtime.Tests;

/// <summary>The runtime as users meet it: real requests through a test server, carrying real cookies.</summary>
public class SessionHttpTests
{
    [Fact]
    public async Task A_request_that_only_reads_gets_no_cookie_and_costs_the_store_nothing()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();

        Assert.Equal("0", await browser.GetAsync("/counter"));
        Assert.Equal("true", await browser.GetAsync("/is-new"));

        Assert.False(browser.LastResponse!.Headers.Contains("Set-Cookie"));
        Assert.Equal(0, app.Store.Loads);
        Assert.Equal(0, app.Services.GetRequiredService<MemorySessionStore>().Count);
    }

    [Fact]
    public async Task The_first_write_issues_a_secure_by_default_cookie_that_carries_the_session()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();

        await browser.PostAsync("/note/hello");
        var setCookie = Assert.Single(browser.LastResponse!.Headers.GetValues("Set-Cookie"));

        Assert.StartsWith("TypedSessions=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("no-store", browser.LastResponse.Headers.CacheControl!.ToString(), StringComparison.Ordinal);

        Assert.Equal("hello", await browser.GetAsync("/note"));
        Assert.Equal("false", await browser.GetAsync("/is-new"));
        Assert.False(browser.LastResponse!.Headers.Contains("Set-Cookie")); // issued once, not on every response
        Assert.Equal("", await app.NewClient().GetAsync("/note"));           // another browser: another session
    }

    [Fact]
    public async Task Over_https_the_cookie_is_secure_and_host_prefixed()
    {
        await using var app = await TestApp.StartAsync(https: true);
        var browser = app.NewClient();

        await browser.PostAsync("/note/secure");

        var setCookie = Assert.Single(browser.LastResponse!.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("__Host-TypedSessions=", setCookie, StringComparison.Ordinal);
        Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("secure", await browser.GetAsync("/note"));
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("truncated")]
    [InlineData("garbage")]
    [InlineData("oversized")]
    public async Task A_bad_cookie_gets_a_fresh_session_not_an_error(string kind)
    {
        await using var app = await TestApp.StartAsync();
        var victim = app.NewClient();
        await victim.PostAsync("/note/secret");
        var value = victim.SessionCookie()!.Value;

        var attacker = app.NewClient();
        attacker.SetSessionCookie(kind switch
        {
            "tampered" => value[..^3] + (value[^3] == 'A' ? "B" : "A") + value[^2..],
            "truncated" => value[..(value.Length / 2)],
            "garbage" => "not-a-session-%%%",
            _ => new string('A', 4000),
        });

        Assert.Equal("", await attacker.GetAsync("/note"));
        Assert.Equal("true", await attacker.GetAsync("/is-new"));
        Assert.Equal("secret", await victim.GetAsync("/note"));
        Assert.Contains(app.Logs.Entries, static e => e.Message.Contains("cookie was rejected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_read_is_one_store_round_trip_and_an_unchanged_write_is_no_write()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/counter/set/5");
        app.Store.Reset();

        Assert.Equal("5", await browser.GetAsync("/counter"));
        Assert.Equal((1, 0), (app.Store.Loads, app.Store.Saves));

        app.Store.Reset();
        await browser.PostAsync("/counter/set/5"); // same value: same bytes
        Assert.Equal((1, 0), (app.Store.Loads, app.Store.Saves));

        app.Store.Reset();
        await browser.PostAsync("/counter/increment");
        Assert.Equal((1, 1), (app.Store.Loads, app.Store.Saves));
    }

    [Fact]
    public async Task Fifty_parallel_updates_lose_nothing()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/counter/set/0");

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => browser.SendRawAsync(HttpMethod.Post, "/counter/increment"))));

        Assert.Equal("50", await browser.GetAsync("/counter"));
    }

    [Fact]
    public async Task Renew_moves_the_data_to_a_new_id_and_the_old_cookie_sees_nothing()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/note/before-sign-in");
        var oldValue = browser.SessionCookie()!.Value;

        await browser.PostAsync("/renew");
        var newValue = browser.SessionCookie()!.Value;

        Assert.NotEqual(oldValue, newValue);
        Assert.Equal("before-sign-in", await browser.GetAsync("/note"));
        var stale = app.NewClient();
        stale.SetSessionCookie(oldValue);
        Assert.Equal("", await stale.GetAsync("/note"));
    }

    [Fact]
    public async Task Invalidate_destroys_the_session_server_side_and_expires_the_cookie()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/note/signed-in");
        var oldValue = browser.SessionCookie()!.Value;

        await browser.PostAsync("/invalidate");

        var setCookie = Assert.Single(browser.LastResponse!.Headers.GetValues("Set-Cookie"));
        Assert.Contains("expires=Thu, 01 Jan 1970", setCookie, StringComparison.Ordinal);
        Assert.Null(browser.SessionCookie());
        var replay = app.NewClient();
        replay.SetSessionCookie(oldValue);
        Assert.Equal("", await replay.GetAsync("/note"));
        Assert.Equal(0, app.Services.GetRequiredService<MemorySessionStore>().Count);
    }

    [Fact]
    public async Task An_idle_session_expires_on_the_server_and_its_id_is_not_reused()
    {
        await using var app = await TestApp.StartAsync(o => o.IdleTimeout = TimeSpan.FromMinutes(10));
        var browser = app.NewClient();
        await browser.PostAsync("/note/kept");

        app.Time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("kept", await browser.GetAsync("/note")); // a read keeps it alive (throttled touch)
        app.Time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("kept", await browser.GetAsync("/note"));
        var oldValue = browser.SessionCookie()!.Value;

        app.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal("", await browser.GetAsync("/note"));
        await browser.PostAsync("/note/again");
        Assert.NotEqual(oldValue, browser.SessionCookie()!.Value);
    }

    [Fact]
    public async Task The_absolute_lifetime_ends_even_an_active_session()
    {
        await using var app = await TestApp.StartAsync(o => (o.IdleTimeout, o.AbsoluteLifetime) = (TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)));
        var browser = app.NewClient();
        await browser.PostAsync("/counter/set/1");

        for (var i = 0; i < 4; i++)
        {
            app.Time.Advance(TimeSpan.FromMinutes(8));
            await browser.PostAsync("/counter/increment");
        }

        Assert.Equal("1", await browser.GetAsync("/counter")); // 32 minutes: the session restarted at the last increment
    }

    [Fact]
    public async Task Reset_removes_the_slot()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/counter/set/9");

        await browser.PostAsync("/counter/reset");

        Assert.Equal("0", await browser.GetAsync("/counter"));
    }

    [Fact]
    public async Task A_store_outage_is_a_503_and_is_logged()
    {
        await using var app = await TestApp.StartAsync(store: new UnreachableStore());
        var browser = app.NewClient();

        var write = await browser.SendRawAsync(HttpMethod.Post, "/note/lost");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
        Assert.Equal("The session store is unavailable; please try again in a few seconds.", await write.Content.ReadAsStringAsync());
        Assert.Contains(app.Logs.Entries, static e => e.Level == LogLevel.Error && e.Message.Contains("Connection refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreadable_slot_comes_back_as_the_default_with_a_warning()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/note/fine");

        // Overwrite the stored bytes of the "note" slot with bytes of the "counter" state.
        var store = app.Services.GetRequiredService<MemorySessionStore>();
        var protector = Microsoft.AspNetCore.DataProtection.DataProtectionCommonExtensions.CreateProtector(
            app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(), Cookies.SessionCookie.ProtectorPurpose);
        var id = protector.Unprotect(System.Buffers.Text.Base64Url.DecodeFromChars(browser.SessionCookie()!.Value));
        await store.SaveAsync(SessionStoreId.FromSessionId(id), "note", SessionStateSerializer.SerializeToArray(new Counter(3)), StoredSlot.AnyVersion, createSession: true, default);

        Assert.Equal("", await browser.GetAsync("/note"));
        Assert.Contains(app.Logs.Entries, static e => e.Level == LogLevel.Warning && e.Message.Contains("'note'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_log_message_holds_the_session_id_or_cookie()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/note/x");
        await browser.PostAsync("/renew");
        await browser.PostAsync("/invalidate");
        var cookie = browser.Cookies.GetAllCookies().Select(static c => c.Value).FirstOrDefault() ?? "";

        Assert.DoesNotContain(app.Logs.Entries, e => cookie.Length > 0 && e.Message.Contains(cookie, StringComparison.Ordinal));
        Assert.Contains(app.Logs.Entries, static e => e.Message.Contains("renewed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_response_that_sets_or_deletes_a_session_or_slot_cookie_is_not_cacheable()
    {
        await using var app = await TestApp.StartAsync(stores: s => s.UseCookieStoreFor<Note>());
        var browser = app.NewClient();
        var responses = new List<(string What, HttpResponseMessage Response)>();

        await browser.PostAsync("/counter/increment");
        responses.Add(("issue", browser.LastResponse!));
        await browser.PostAsync("/note/in-a-cookie");
        responses.Add(("slot cookie write", browser.LastResponse!));
        await browser.PostAsync("/renew");
        responses.Add(("renew", browser.LastResponse!));
        await browser.PostAsync("/invalidate");
        responses.Add(("invalidate (delete)", browser.LastResponse!));

        foreach (var (what, response) in responses)
        {
            Assert.True(response.Headers.Contains("Set-Cookie"), what);
            Assert.True(response.Headers.CacheControl is { NoStore: true, NoCache: true }, $"{what}: {response.Headers.CacheControl}");
        }

        Assert.Null(browser.SessionCookie());
    }

    [Fact]
    public async Task Session_ids_are_256_random_bits_and_never_repeat()
    {
        await using var app = await TestApp.StartAsync();
        var ids = new HashSet<string>();
        for (var i = 0; i < 50; i++)
        {
            var browser = app.NewClient();
            await browser.PostAsync("/counter/increment");
            var id = app.SessionIdOf(browser);
            Assert.Equal(32, id.Length);
            Assert.True(ids.Add(Convert.ToHexString(id)));
        }
    }

    [Fact]
    public async Task A_slot_cookie_name_with_line_breaks_is_ignored_and_forges_no_log_line()
    {
        await using var app = await TestApp.StartAsync(stores: s => s.UseCookieStoreFor<Note>());
        var browser = app.NewClient();

        var response = await browser.SendRawAsync(HttpMethod.Get, "/note", configure: r =>
            r.Headers.TryAddWithoutValidation("Cookie", "TypedSessions.x%0D%0Awarn%3A%20Forged%5B1%5D%0D%0A=garbage"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(app.Logs.Entries, static e => e.Message.Contains('\n', StringComparison.Ordinal) || e.Message.Contains("Forged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_state_too_large_for_the_cookie_store_is_a_413_that_writes_nothing()
    {
        await using var app = await TestApp.StartAsync(stores: s => s.UseCookieStoreFor<Note>());
        var browser = app.NewClient();

        var response = await browser.SendRawAsync(HttpMethod.Post, "/note/" + new string('x', 7000));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Null(browser.SessionCookie("TypedSessions.note"));
        Assert.DoesNotContain(app.Logs.Entries, static e => e.Level > LogLevel.Information);
    }
}
