using System.Security.Cryptography;

namespace TypedSessions.Stores.Tests;

/// <summary>
/// The part of the contract only a store on a server can keep: many concurrent writers of one slot
/// (a browser keeps whichever cookie came last), and slots of any size (cookies have a budget).
/// </summary>
public abstract class ServerStoreConformanceTests : StoreConformanceTests
{
    /// <summary>Runs the store's own search for expired sessions now (what its timer does).</summary>
    protected abstract Task SweepAsync();

    private ISessionUserStore Users => (ISessionUserStore)Store;

    private async Task<string[]> ListAsync(string user) =>
        [.. (await Users.GetUserSessionsAsync(user, CancellationToken.None)).Select(static s => s.Session.ToString()).Order(StringComparer.Ordinal)];

    private static string[] Ids(params SessionStoreId[] sessions) => [.. sessions.Select(static s => s.ToString()).Order(StringComparer.Ordinal)];

    // A browser cannot be told what other requests did: the cookie store has nothing to remember this in.
    [Fact]
    public async Task An_id_renewed_away_loads_as_renewed_away_for_a_minute_and_a_destroyed_one_does_not()
    {
        var renewed = NewSession();
        var destroyed = NewSession();
        await SaveAsync(renewed, "a", "one");
        await SaveAsync(destroyed, "b", "two");
        Assert.True(await Store.RenewAsync(renewed, NewSession(), CancellationToken.None));
        await Store.DestroyAsync(destroyed, CancellationToken.None);

        Assert.True((await Store.LoadAsync(renewed, ["a"], CancellationToken.None)).RenewedAway);
        Assert.False((await Store.LoadAsync(destroyed, ["b"], CancellationToken.None)).RenewedAway);
        Assert.False((await Store.LoadAsync(NewSession(), ["a"], CancellationToken.None)).RenewedAway);

        await AdvanceTimeAsync(SessionLifetime.RenewedAwayFor + TimeSpan.FromSeconds(1));
        Assert.False((await Store.LoadAsync(renewed, ["a"], CancellationToken.None)).RenewedAway);
    }

    [Fact]
    public async Task A_users_sessions_are_indexed_moved_by_renew_and_dropped_when_they_end()
    {
        var a = NewSession();
        var b = NewSession();
        await SaveAsync(a, "x", "1");
        Assert.True(await Users.SetUserAsync(a, "alice", "Firefox on Linux", createSession: false, CancellationToken.None));
        Assert.True(await Users.SetUserAsync(b, "alice", null, createSession: true, CancellationToken.None));
        Assert.True(await Users.SetUserAsync(NewSession(), "bob", null, createSession: true, CancellationToken.None));
        Assert.False(await Users.SetUserAsync(NewSession(), "alice", null, createSession: false, CancellationToken.None));

        Assert.Equal(Ids(a, b), await ListAsync("alice"));
        var listed = (await Users.GetUserSessionsAsync("alice", CancellationToken.None)).Single(s => s.Session == a);
        Assert.Equal("Firefox on Linux", listed.Device);
        Assert.Equal("alice", (await Store.LoadAsync(a, ["x"], CancellationToken.None)).UserKey);

        var renewed = NewSession();
        Assert.True(await Store.RenewAsync(a, renewed, CancellationToken.None));
        Assert.Equal(Ids(renewed, b), await ListAsync("alice"));
        Assert.Equal("alice", (await Store.LoadAsync(renewed, ["x"], CancellationToken.None)).UserKey);

        await Store.DestroyAsync(b, CancellationToken.None);
        Assert.Equal(Ids(renewed), await ListAsync("alice"));

        Assert.True(await Users.SetUserAsync(renewed, "carol", null, createSession: false, CancellationToken.None));
        Assert.Empty(await ListAsync("alice"));
        Assert.Equal(Ids(renewed), await ListAsync("carol"));

        await AdvanceTimeAsync(IdleTimeout * 1.1);
        Assert.Empty(await ListAsync("carol")); // an expired session never shows, swept or not
    }

    [Fact]
    public async Task Sessions_that_expire_are_reported_once_with_their_user()
    {
        var signedIn = NewSession();
        var anonymous = NewSession();
        var alive = NewSession();
        Assert.True(await Users.SetUserAsync(signedIn, "alice", null, createSession: true, CancellationToken.None));
        await SaveAsync(anonymous, "x", "1");
        await AdvanceTimeAsync(IdleTimeout * 0.6);
        await SaveAsync(alive, "x", "1");
        await AdvanceTimeAsync(IdleTimeout * 0.6);

        await SweepAsync();
        await SweepAsync();

        var ended = Ended.Ended.OrderBy(static e => e.UserKey ?? "", StringComparer.Ordinal).ToList();
        Assert.Equal([(anonymous, (string?)null, SessionEndReason.Expired), (signedIn, "alice", SessionEndReason.Expired)], ended);
        Assert.Empty(await ListAsync("alice"));
        Assert.True((await Store.LoadAsync(alive, ["x"], CancellationToken.None)).Exists);
    }

    [Fact]
    public async Task A_session_kept_alive_by_saves_and_touches_outlives_its_first_expiry_and_is_reported_once_when_it_ends()
    {
        var saved = NewSession();
        var touched = NewSession();
        await SaveAsync(saved, "x", "1");
        await SaveAsync(touched, "x", "1");
        await AdvanceTimeAsync(IdleTimeout * 0.6);
        await SaveAsync(saved, "x", "2");
        await Store.TouchAsync(touched, CancellationToken.None);
        await AdvanceTimeAsync(IdleTimeout * 0.6); // past when each was first due to expire

        await SweepAsync();

        Assert.Empty(Ended.Ended);
        Assert.True((await Store.LoadAsync(saved, ["x"], CancellationToken.None)).Exists);
        Assert.True((await Store.LoadAsync(touched, ["x"], CancellationToken.None)).Exists);

        await AdvanceTimeAsync(IdleTimeout * 1.1);
        await SweepAsync();
        await SweepAsync();

        Assert.Equal(
            [(saved, (string?)null, SessionEndReason.Expired), (touched, (string?)null, SessionEndReason.Expired)],
            Ended.Ended.OrderBy(e => e.Session == saved ? 0 : 1));
    }

    [Fact]
    public async Task Fifty_concurrent_compare_and_set_writers_lose_no_update()
    {
        var session = NewSession();
        await SaveAsync(session, "counter", "0");

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var current = (await Store.LoadAsync(session, ["counter"], CancellationToken.None)).Slots[0]!.Value;
                var next = int.Parse(System.Text.Encoding.UTF8.GetString(current.Data.Span), System.Globalization.CultureInfo.InvariantCulture) + 1;
                var saved = await Store.SaveAsync(session, "counter", Bytes(next.ToString(System.Globalization.CultureInfo.InvariantCulture)), current.Version, createSession: true, CancellationToken.None);
                if (saved.Saved)
                {
                    return;
                }
            }
        })));

        Assert.Equal("50", await ReadAsync(session, "counter"));
    }

    [Fact]
    public async Task A_one_megabyte_slot_round_trips()
    {
        var session = NewSession();
        var large = RandomNumberGenerator.GetBytes(1024 * 1024);

        await Store.SaveAsync(session, "large", large, StoredSlot.AnyVersion, createSession: true, CancellationToken.None);

        var result = await Store.LoadAsync(session, ["large"], CancellationToken.None);
        Assert.True(result.Slots[0]!.Value.Data.Span.SequenceEqual(large));
    }
}
