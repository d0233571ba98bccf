using TypedSessions.Tests.Shared;
using System.Security.Cryptography;
using TypedSessions.Stores;

namespace TypedSessions.Stores.Tests;

/// <summary>
/// The contract of <see cref="ISessionStore"/> (DESIGN.md §5), run against a real instance of each
/// store: derive, create the store in <see cref="CreateStoreAsync"/>, and every test runs against it.
/// Server stores derive from <see cref="ServerStoreConformanceTests"/>, which adds what a store in the
/// browser cannot promise.
/// </summary>
public abstract class StoreConformanceTests : IAsyncLifetime
{
    internal static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(20);
    internal static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(2);

    private readonly List<IAsyncDisposable> _owned = [];

    protected ISessionStore Store { get; private set; } = null!;

    /// <summary>Told of the sessions the store ends on its own (expiry, eviction).</summary>
    protected RecordingSink Ended { get; } = new();

    /// <summary>The application's clock, which every store takes "now" from; the tests move it by hand.</summary>
    protected ManualClock Clock { get; } = new();

    /// <summary>Creates the store under test with <see cref="IdleTimeout"/> and <see cref="AbsoluteLifetime"/>, on <see cref="Clock"/>.</summary>
    protected abstract Task<ISessionStore> CreateStoreAsync();

    /// <summary>Lets <paramref name="time"/> pass for the store.</summary>
    protected Task AdvanceTimeAsync(TimeSpan time)
    {
        Clock.Advance(time);
        return Task.CompletedTask;
    }

    /// <summary>Disposes <paramref name="resource"/> (a service provider, say) after the store.</summary>
    protected T Own<T>(T resource) where T : IAsyncDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        switch (Store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        foreach (var resource in _owned)
        {
            await resource.DisposeAsync();
        }
    }

    protected static SessionStoreId NewSession() => SessionStoreId.FromSessionId(RandomNumberGenerator.GetBytes(SessionStoreId.SessionIdSize));

    protected static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    protected async Task<long> SaveAsync(SessionStoreId session, string key, string value, long expected = StoredSlot.AnyVersion)
    {
        var result = await Store.SaveAsync(session, key, Bytes(value), expected, createSession: true, CancellationToken.None);
        Assert.True(result.Saved);
        Assert.True(result.Version > 0);
        return result.Version;
    }

    protected async Task<string?> ReadAsync(SessionStoreId session, string key)
    {
        var result = await Store.LoadAsync(session, [key], CancellationToken.None);
        return result.Slots[0] is { } slot ? System.Text.Encoding.UTF8.GetString(slot.Data.Span) : null;
    }

    [Fact]
    public async Task An_unknown_session_loads_as_missing()
    {
        var result = await Store.LoadAsync(NewSession(), ["a", "b"], CancellationToken.None);

        Assert.False(result.Exists);
        Assert.Equal([null, null], result.Slots);
    }

    [Fact]
    public async Task Several_slots_load_in_one_call_in_the_order_asked()
    {
        var session = NewSession();
        var versionA = await SaveAsync(session, "a", "first");
        var versionC = await SaveAsync(session, "c", "third");

        var result = await Store.LoadAsync(session, ["c", "b", "a"], CancellationToken.None);

        Assert.True(result.Exists);
        Assert.Equal(3, result.Slots.Count);
        Assert.Equal("third", System.Text.Encoding.UTF8.GetString(result.Slots[0]!.Value.Data.Span));
        Assert.Equal(versionC, result.Slots[0]!.Value.Version);
        Assert.Null(result.Slots[1]);
        Assert.Equal("first", System.Text.Encoding.UTF8.GetString(result.Slots[2]!.Value.Data.Span));
        Assert.Equal(versionA, result.Slots[2]!.Value.Version);
    }

    [Fact]
    public async Task A_stale_conditional_save_is_refused_and_changes_nothing()
    {
        var session = NewSession();
        var v1 = await SaveAsync(session, "a", "one", StoredSlot.Absent);
        var v2 = await SaveAsync(session, "a", "two", v1);

        var stale = await Store.SaveAsync(session, "a", Bytes("lost"), v1, createSession: true, CancellationToken.None);
        var notAbsent = await Store.SaveAsync(session, "a", Bytes("lost"), StoredSlot.Absent, createSession: true, CancellationToken.None);

        Assert.NotEqual(v1, v2);
        Assert.False(stale.Saved);
        Assert.False(notAbsent.Saved);
        Assert.Equal("two", await ReadAsync(session, "a"));
    }

    [Fact]
    public async Task A_removed_slot_is_gone_and_the_others_stay()
    {
        var session = NewSession();
        await SaveAsync(session, "a", "one");
        await SaveAsync(session, "b", "two");

        await Store.RemoveAsync(session, "a", CancellationToken.None);
        await Store.RemoveAsync(session, "never-written", CancellationToken.None);

        Assert.Null(await ReadAsync(session, "a"));
        Assert.Equal("two", await ReadAsync(session, "b"));
    }

    [Fact]
    public async Task A_destroyed_session_loads_as_missing()
    {
        var session = NewSession();
        await SaveAsync(session, "a", "one");
        await SaveAsync(session, "b", "two");

        await Store.DestroyAsync(session, CancellationToken.None);

        var result = await Store.LoadAsync(session, ["a", "b"], CancellationToken.None);
        Assert.False(result.Exists);
        Assert.Equal([null, null], result.Slots);
    }

    [Fact]
    public async Task Renew_moves_every_slot_and_the_old_id_loads_nothing()
    {
        var from = NewSession();
        var to = NewSession();
        await SaveAsync(from, "a", "one");
        await SaveAsync(from, "b", "two");

        Assert.True(await Store.RenewAsync(from, to, CancellationToken.None));

        Assert.False((await Store.LoadAsync(from, ["a", "b"], CancellationToken.None)).Exists);
        Assert.Equal("one", await ReadAsync(to, "a"));
        Assert.Equal("two", await ReadAsync(to, "b"));
        Assert.False(await Store.RenewAsync(NewSession(), NewSession(), CancellationToken.None));
    }

    [Fact]
    public async Task An_idle_session_expires_and_a_touch_keeps_it_alive()
    {
        var idle = NewSession();
        var touched = NewSession();
        await SaveAsync(idle, "a", "one");
        await SaveAsync(touched, "a", "one");

        await AdvanceTimeAsync(IdleTimeout * 0.6);
        await Store.TouchAsync(touched, CancellationToken.None);
        await AdvanceTimeAsync(IdleTimeout * 0.6);

        Assert.False((await Store.LoadAsync(idle, ["a"], CancellationToken.None)).Exists);
        Assert.Equal("one", await ReadAsync(touched, "a"));
    }

    [Fact]
    public async Task The_absolute_lifetime_ends_an_active_session_and_survives_renew()
    {
        var session = NewSession();
        await SaveAsync(session, "a", "one");
        var steps = (int)(AbsoluteLifetime / (IdleTimeout * 0.5));
        for (var i = 0; i < steps - 1; i++)
        {
            await AdvanceTimeAsync(IdleTimeout * 0.5);
            await Store.TouchAsync(session, CancellationToken.None);
        }

        var renewed = NewSession();
        Assert.True(await Store.RenewAsync(session, renewed, CancellationToken.None));
        await AdvanceTimeAsync(IdleTimeout * 0.6);

        Assert.False((await Store.LoadAsync(renewed, ["a"], CancellationToken.None)).Exists);
    }

    [Fact]
    public async Task An_empty_slot_round_trips_and_is_not_a_missing_one()
    {
        var session = NewSession();

        await Store.SaveAsync(session, "empty", ReadOnlyMemory<byte>.Empty, StoredSlot.AnyVersion, createSession: true, CancellationToken.None);

        var result = await Store.LoadAsync(session, ["empty"], CancellationToken.None);
        Assert.True(result.Exists);
        Assert.NotNull(result.Slots[0]);
        Assert.Equal(0, result.Slots[0]!.Value.Data.Length);
    }

    [Fact]
    public async Task Versions_are_never_reused_after_a_remove()
    {
        var session = NewSession();
        var first = await SaveAsync(session, "a", "one");
        await Store.RemoveAsync(session, "a", CancellationToken.None);

        var second = await SaveAsync(session, "a", "two", StoredSlot.Absent);

        Assert.NotEqual(first, second);
        Assert.False((await Store.SaveAsync(session, "a", Bytes("stale"), first, createSession: true, CancellationToken.None)).Saved);
    }

    [Fact]
    public async Task A_save_that_may_not_create_never_brings_an_ended_session_back()
    {
        // Each session keeps its slot under its own key, so that a store in one browser holds all three at once.
        var destroyed = NewSession();
        var renewedAway = NewSession();
        var expired = NewSession();
        await SaveAsync(destroyed, "d", "one");
        await SaveAsync(renewedAway, "r", "one");
        await SaveAsync(expired, "e", "one");
        await Store.DestroyAsync(destroyed, CancellationToken.None);
        Assert.True(await Store.RenewAsync(renewedAway, NewSession(), CancellationToken.None));

        foreach (var (session, key, expected) in new[] { (destroyed, "d", StoredSlot.AnyVersion), (renewedAway, "r", StoredSlot.Absent), (NewSession(), "n", StoredSlot.AnyVersion) })
        {
            var result = await Store.SaveAsync(session, key, Bytes("late"), expected, createSession: false, CancellationToken.None);
            Assert.False(result.Saved);
            Assert.True(result.IsSessionMissing);
            Assert.False((await Store.LoadAsync(session, [key], CancellationToken.None)).Exists);
        }

        await AdvanceTimeAsync(IdleTimeout * 1.1);
        var late = await Store.SaveAsync(expired, "e", Bytes("late"), StoredSlot.AnyVersion, createSession: false, CancellationToken.None);
        Assert.True(late.IsSessionMissing);
        Assert.False((await Store.LoadAsync(expired, ["e"], CancellationToken.None)).Exists);

        var live = NewSession();
        await SaveAsync(live, "l", "one");
        Assert.True((await Store.SaveAsync(live, "m", Bytes("two"), StoredSlot.Absent, createSession: false, CancellationToken.None)).Saved);
    }
}

/// <summary>Records what a store reports through <see cref="ISessionEndedSink"/>.</summary>
public sealed class RecordingSink : ISessionEndedSink
{
    private readonly List<(SessionStoreId Session, string? UserKey, SessionEndReason Reason)> _ended = [];

    public IReadOnlyList<(SessionStoreId Session, string? UserKey, SessionEndReason Reason)> Ended
    {
        get
        {
            lock (_ended)
            {
                return [.. _ended];
            }
        }
    }

    public void SessionEnded(SessionStoreId session, string? userKey, SessionEndReason reason)
    {
        lock (_ended)
        {
            _ended.Add((session, userKey, reason));
        }
    }
}
