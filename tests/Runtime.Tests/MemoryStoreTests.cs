using TypedSessions.Tests.Shared;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TypedSessions.Stores;

namespace TypedSessions.Runtime.Tests;

public class MemoryStoreTests
{
    private readonly ManualClock _time = new();

    private readonly List<(SessionStoreId Session, string? UserKey, SessionEndReason Reason)> _ended = [];

    private MemorySessionStore NewStore(int maxSessions = 1000, long maxBytes = 1 << 20) => new(
        Options.Create(new TypedSessionsOptions { IdleTimeout = TimeSpan.FromMinutes(20), AbsoluteLifetime = TimeSpan.FromHours(1) }),
        Options.Create(new MemorySessionStoreOptions { MaxSessions = maxSessions, MaxBytes = maxBytes }),
        _time,
        NullLogger<MemorySessionStore>.Instance,
        new Sink(_ended));

    private sealed class Sink(List<(SessionStoreId, string?, SessionEndReason)> ended) : ISessionEndedSink
    {
        public void SessionEnded(SessionStoreId session, string? userKey, SessionEndReason reason)
        {
            lock (ended)
            {
                ended.Add((session, userKey, reason));
            }
        }
    }

    private static SessionStoreId NewId() => SessionStoreId.FromSessionId(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task Saves_are_compare_and_set_on_the_version()
    {
        using var store = NewStore();
        var id = NewId();

        var first = await store.SaveAsync(id, "a", new byte[] { 1 }, StoredSlot.Absent, createSession: true, default);
        Assert.True(first.Saved);
        Assert.False((await store.SaveAsync(id, "a", new byte[] { 2 }, StoredSlot.Absent, createSession: true, default)).Saved);
        Assert.False((await store.SaveAsync(id, "a", new byte[] { 2 }, first.Version + 1, createSession: true, default)).Saved);
        var second = await store.SaveAsync(id, "a", new byte[] { 2 }, first.Version, createSession: true, default);
        Assert.True(second.Saved);
        Assert.NotEqual(first.Version, second.Version);

        var loaded = await store.LoadAsync(id, ["a", "missing"], default);
        Assert.True(loaded.Exists);
        Assert.Equal(new byte[] { 2 }, loaded.Slots[0]!.Value.Data.ToArray());
        Assert.Null(loaded.Slots[1]);
    }

    [Fact]
    public async Task A_slot_removed_and_written_again_never_repeats_a_version()
    {
        using var store = NewStore();
        var id = NewId();
        var old = await store.SaveAsync(id, "a", new byte[] { 1 }, StoredSlot.Absent, createSession: true, default);
        await store.RemoveAsync(id, "a", default);
        await store.SaveAsync(id, "a", new byte[] { 9 }, StoredSlot.Absent, createSession: true, default);

        Assert.False((await store.SaveAsync(id, "a", new byte[] { 3 }, old.Version, createSession: true, default)).Saved);
    }

    [Fact]
    public async Task Renew_moves_every_slot_and_the_old_id_loads_nothing()
    {
        using var store = NewStore();
        var (from, to) = (NewId(), NewId());
        await store.SaveAsync(from, "a", new byte[] { 1 }, StoredSlot.Absent, createSession: true, default);
        await store.SaveAsync(from, "b", new byte[] { 2 }, StoredSlot.Absent, createSession: true, default);

        Assert.True(await store.RenewAsync(from, to, default));

        Assert.False((await store.LoadAsync(from, ["a"], default)).Exists);
        var moved = await store.LoadAsync(to, ["a", "b"], default);
        Assert.Equal([1, 2], moved.Slots.Select(static s => s!.Value.Data.Span[0]));
        Assert.False(await store.RenewAsync(from, NewId(), default));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task Idle_and_absolute_expiry_are_enforced()
    {
        using var store = NewStore();
        var id = NewId();
        await store.SaveAsync(id, "a", new byte[] { 1 }, StoredSlot.Absent, createSession: true, default);

        _time.Advance(TimeSpan.FromMinutes(15));
        await store.TouchAsync(id, default);
        _time.Advance(TimeSpan.FromMinutes(15));
        Assert.True((await store.LoadAsync(id, ["a"], default)).Exists);

        _time.Advance(TimeSpan.FromMinutes(21));
        Assert.False((await store.LoadAsync(id, ["a"], default)).Exists);

        var active = NewId();
        await store.SaveAsync(active, "a", new byte[] { 1 }, StoredSlot.Absent, createSession: true, default);
        for (var i = 0; i < 7; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            await store.TouchAsync(active, default);
        }

        Assert.False((await store.LoadAsync(active, ["a"], default)).Exists); // 70 minutes > 1 hour
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.PayloadBytes);
    }

    [Fact]
    public async Task A_full_store_evicts_the_least_recently_used_sessions_first()
    {
        using var store = NewStore(maxSessions: 10);
        var ids = Enumerable.Range(0, 10).Select(_ => NewId()).ToArray();
        foreach (var id in ids)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await store.SaveAsync(id, "a", new byte[] { 1 }, StoredSlot.Absent, createSession: true, default);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        await store.TouchAsync(ids[0], default); // the oldest is used again

        await store.SaveAsync(NewId(), "a", new byte[] { 1 }, StoredSlot.Absent, createSession: true, default);

        Assert.True(store.Count <= 10);
        Assert.True((await store.LoadAsync(ids[0], ["a"], default)).Exists);
        Assert.False((await store.LoadAsync(ids[1], ["a"], default)).Exists);
    }

    [Fact]
    public async Task The_byte_budget_is_enforced()
    {
        using var store = NewStore(maxBytes: 10_000);
        for (var i = 0; i < 50; i++)
        {
            await store.SaveAsync(NewId(), "a", new byte[1000], StoredSlot.Absent, createSession: true, default);
        }

        Assert.True(store.PayloadBytes <= 10_000, $"{store.PayloadBytes} bytes held");
    }

    [Fact]
    public async Task Evicted_sessions_are_reported_once_with_their_user_and_destroyed_ones_not_at_all()
    {
        using var store = NewStore(maxSessions: 10);
        var destroyed = NewId();
        await store.SaveAsync(destroyed, "a", new byte[] { 1 }, StoredSlot.Absent, createSession: true, default);
        await store.DestroyAsync(destroyed, default);
        var signedIn = new List<SessionStoreId>();
        for (var i = 0; i < 12; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var id = NewId();
            Assert.True(await store.SetUserAsync(id, "user" + i, null, createSession: true, default));
            signedIn.Add(id);
        }

        Assert.Contains((signedIn[0], "user0", SessionEndReason.Evicted), _ended); // the least recently used first
        Assert.DoesNotContain(_ended, e => e.Session == destroyed);
        Assert.Equal(_ended.Count, _ended.Distinct().Count());
        Assert.All(_ended, static e => Assert.Equal(SessionEndReason.Evicted, e.Reason));
        Assert.Empty(await store.GetUserSessionsAsync("user0", default));
        Assert.Single(await store.GetUserSessionsAsync("user11", default));
    }

    [Fact]
    public async Task A_signed_in_session_outlasts_anonymous_ones_when_the_store_is_full()
    {
        using var store = NewStore(maxSessions: 10);
        var alice = NewId();
        Assert.True(await store.SetUserAsync(alice, "alice", null, createSession: true, default));
        for (var i = 0; i < 30; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var returning = NewId();
            await store.SaveAsync(returning, "a", new byte[] { 1 }, StoredSlot.Absent, createSession: true, default);
            await store.LoadAsync(returning, ["a"], default); // came back once: still not signed in
        }

        Assert.Single(await store.GetUserSessionsAsync("alice", default));
        Assert.DoesNotContain(_ended, e => e.Session == alice);
    }
}

/// <summary>The device label of a session: a few fixed words from the User-Agent, never the header itself.</summary>
public sealed class DeviceLabelTests
{
    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 Edg/130.0", "Edge on Windows")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0", "Firefox on Linux")]
    [InlineData("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36", "Chrome on Android")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15", "Safari on macOS")]
    [InlineData("curl/8.5.0", "curl")]
    [InlineData("<script>alert(1)</script>", "A browser")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_user_agent_becomes_a_short_fixed_label(string? userAgent, string? label) =>
        Assert.Equal(label, Users.DeviceLabel.From(userAgent));
}
