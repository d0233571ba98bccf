using TypedSessions.Tests.Shared;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace TypedSessions.Stores.Tests;

/// <summary>What only the cookie store has: chunks, the binding to the session, tampering, key rotation and the budget.</summary>
public sealed class CookieStoreTests : IDisposable
{
    private readonly ManualClock _clock = new();
    private readonly List<ServiceProvider> _services = [];
    private readonly string _keys = Directory.CreateTempSubdirectory("typedsessions-cookie-keys-").FullName;

    private static SessionStoreId NewSession() => SessionStoreId.FromSessionId(RandomNumberGenerator.GetBytes(SessionStoreId.SessionIdSize));

    [Fact]
    public async Task A_slot_past_4_kb_is_split_into_chunks_and_a_smaller_write_removes_them()
    {
        var browser = Browser(maxBytes: 16 * 1024);
        var session = NewSession();
        var large = RandomNumberGenerator.GetBytes(5000); // random bytes: nothing to gain by compression

        await browser.SaveAsync(session, "cart", large, StoredSlot.AnyVersion, createSession: true, CancellationToken.None);

        Assert.StartsWith("chunks-2", browser.Cookies["TypedSessions.cart"], StringComparison.Ordinal);
        Assert.All(browser.Cookies.Values, v => Assert.InRange(v.Length, 1, 4000));
        Assert.Equal(large, (await browser.LoadAsync(session, ["cart"], CancellationToken.None)).Slots[0]!.Value.Data.ToArray());

        await browser.SaveAsync(session, "cart", new byte[] { 1, 2, 3 }, StoredSlot.AnyVersion, createSession: true, CancellationToken.None);

        Assert.Equal(["TypedSessions.cart"], browser.Cookies.Keys);
        Assert.Equal(new byte[] { 1, 2, 3 }, (await browser.LoadAsync(session, ["cart"], CancellationToken.None)).Slots[0]!.Value.Data.ToArray());
    }

    [Fact]
    public async Task A_slot_cookie_counts_only_for_the_session_it_was_written_for()
    {
        var browser = Browser();
        var session = NewSession();
        await browser.SaveAsync(session, "prefs", new byte[] { 7 }, StoredSlot.Absent, createSession: true, CancellationToken.None);

        var other = await browser.LoadAsync(NewSession(), ["prefs"], CancellationToken.None);

        Assert.False(other.Exists);
        Assert.Null(other.Slots[0]);
    }

    [Fact]
    public async Task After_renew_and_invalidate_copies_of_the_old_cookies_are_worth_nothing()
    {
        var browser = Browser();
        var session = NewSession();
        await browser.SaveAsync(session, "prefs", new byte[] { 7 }, StoredSlot.Absent, createSession: true, CancellationToken.None);
        var stolen = new Dictionary<string, string>(browser.Cookies);
        var renewed = NewSession();

        Assert.True(await browser.RenewAsync(session, renewed, CancellationToken.None));
        Assert.NotEqual(stolen["TypedSessions.prefs"], browser.Cookies["TypedSessions.prefs"]);
        await browser.DestroyAsync(renewed, CancellationToken.None);
        Assert.Empty(browser.Cookies);

        // The old copy, replayed into the renewed session, is bound to the old ID.
        foreach (var (name, value) in stolen)
        {
            browser.Cookies[name] = value;
        }

        Assert.False((await browser.LoadAsync(renewed, ["prefs"], CancellationToken.None)).Exists);
    }

    [Fact]
    public async Task A_tampered_or_renamed_slot_cookie_reads_as_empty_without_an_error()
    {
        var browser = Browser();
        var session = NewSession();
        await browser.SaveAsync(session, "prefs", new byte[] { 7 }, StoredSlot.Absent, createSession: true, CancellationToken.None);
        var value = browser.Cookies["TypedSessions.prefs"];

        browser.Cookies["TypedSessions.prefs"] = value[..^2] + (value[^2] == 'A' ? "B" : "A") + value[^1];
        var tampered = await browser.LoadAsync(session, ["prefs"], CancellationToken.None);
        browser.Cookies.Clear();
        browser.Cookies["TypedSessions.cart"] = value; // another state's cookie name: another purpose
        var renamed = await browser.LoadAsync(session, ["cart"], CancellationToken.None);
        browser.Cookies["TypedSessions.cart"] = "not base64 at all!";
        var garbage = await browser.LoadAsync(session, ["cart"], CancellationToken.None);

        Assert.Null(tampered.Slots[0]);
        Assert.Null(renamed.Slots[0]);
        Assert.Null(garbage.Slots[0]);
    }

    [Fact]
    public async Task Cookies_written_before_a_key_rotation_are_still_read_and_new_writes_use_the_new_key()
    {
        var services = Services(_keys);
        var browser = new BrowserCookieStore(services);
        var session = NewSession();
        await browser.SaveAsync(session, "prefs", new byte[] { 1 }, StoredSlot.Absent, createSession: true, CancellationToken.None);
        var oldKey = KeyIdOf(browser.Cookies["TypedSessions.prefs"]);

        var newKey = services.GetRequiredService<IKeyManager>().CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));

        // A server started after the rotation: the new key is its default, the old one still in its ring.
        var rotated = new BrowserCookieStore(Services(_keys));
        foreach (var (name, value) in browser.Cookies)
        {
            rotated.Cookies[name] = value;
        }

        var beforeRewrite = await rotated.LoadAsync(session, ["prefs"], CancellationToken.None);
        await rotated.SaveAsync(session, "prefs", new byte[] { 2 }, StoredSlot.AnyVersion, createSession: true, CancellationToken.None);
        browser = rotated;

        Assert.Equal(new byte[] { 1 }, beforeRewrite.Slots[0]!.Value.Data.ToArray());
        Assert.NotEqual(oldKey, newKey.KeyId);
        Assert.Equal(newKey.KeyId, KeyIdOf(browser.Cookies["TypedSessions.prefs"]));
        Assert.Equal(new byte[] { 2 }, (await browser.LoadAsync(session, ["prefs"], CancellationToken.None)).Slots[0]!.Value.Data.ToArray());
    }

    [Fact]
    public async Task A_write_over_the_budget_fails_clearly_and_the_browser_keeps_what_it_had()
    {
        var browser = Browser(maxBytes: 2048);
        var session = NewSession();
        await browser.SaveAsync(session, "prefs", new byte[] { 1 }, StoredSlot.Absent, createSession: true, CancellationToken.None);
        var before = new Dictionary<string, string>(browser.Cookies);

        var error = await Assert.ThrowsAsync<SessionCookieTooLargeException>(async () =>
            await browser.SaveAsync(session, "cart", new byte[3000], StoredSlot.AnyVersion, createSession: true, CancellationToken.None));

        Assert.Equal("cart", error.Key);
        Assert.Equal(2048, error.Budget);
        Assert.True(error.Size > 2048);
        Assert.Equal(before, browser.Cookies);
        Assert.Empty(browser.LastSetCookies);
    }

    [Fact]
    public async Task A_write_after_the_response_started_fails_clearly()
    {
        var browser = Browser();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            browser.RequestAsync(s => s.SaveAsync(NewSession(), "prefs", new byte[] { 1 }, StoredSlot.AnyVersion, createSession: true, CancellationToken.None), responseStarted: true));

        Assert.Contains("response started", error.Message, StringComparison.Ordinal);
        Assert.Empty(browser.Cookies);
    }

    public void Dispose()
    {
        foreach (var services in _services)
        {
            services.Dispose();
        }

        Directory.Delete(_keys, recursive: true);
    }

    // A Data Protection payload starts with a 4-byte magic header, then the ID of the key that protected it.
    private static Guid KeyIdOf(string cookie) => new(Base64Url.DecodeFromChars(cookie).AsSpan(4, 16));

    private BrowserCookieStore Browser(int maxBytes = 6 * 1024) => new(Services(null, maxBytes));

    private ServiceProvider Services(string? keys, int maxBytes = 6 * 1024)
    {
        var services = CookieStores.CreateServices(_clock, keys, maxBytes);
        _services.Add(services);
        return services;
    }
}
