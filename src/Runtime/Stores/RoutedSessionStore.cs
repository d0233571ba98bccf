
namespace TypedSessions.Stores;

/// <summary>
/// One session over several stores: each slot lives in the store chosen for its state, and what
/// concerns the session as a whole (whether it exists, destroy, renew, touch) goes to every store.
/// </summary>
/// <remarks>
/// A load asks every store, even one none of the requested slots live in, because the session may exist
/// only there (a visitor with preferences in the cookie and nothing in Redis yet): a session reported
/// missing would be replaced by a new ID at its next write, orphaning what the other store holds.
/// Renew is atomic within each store, not across them.
/// </remarks>
internal sealed class RoutedSessionStore : ISessionStore, ISessionUserStore
{
    private readonly ISessionStore _fallback;
    private readonly Dictionary<string, ISessionStore> _routes;
    private readonly ISessionStore[] _all;

    public RoutedSessionStore(ISessionStore fallback, Dictionary<string, ISessionStore> routes)
    {
        _fallback = fallback;
        _routes = routes;
        _all = [fallback, .. routes.Values.Where(s => !ReferenceEquals(s, fallback)).Distinct()];
    }

    /// <summary>Every store of the session, the fallback first.</summary>
    public IReadOnlyList<ISessionStore> Stores => _all;

    public async ValueTask<SessionLoadResult> LoadAsync(SessionStoreId session, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var slots = new StoredSlot?[keys.Count];
        var exists = false;
        var renewedAway = false;
        string? userKey = null;
        var lastAccessed = DateTimeOffset.MaxValue;
        foreach (var store in _all)
        {
            var indices = new List<int>();
            for (var i = 0; i < keys.Count; i++)
            {
                if (ReferenceEquals(StoreFor(keys[i]), store))
                {
                    indices.Add(i);
                }
            }

            var result = await store.LoadAsync(session, [.. indices.Select(i => keys[i])], cancellationToken).ConfigureAwait(false);
            if (!result.Exists)
            {
                renewedAway |= result.RenewedAway;
                continue;
            }

            exists = true;
            userKey ??= result.UserKey;

            // The oldest "last used" of the stores, so the runtime's throttled refresh reaches all of them.
            if (result.LastAccessed < lastAccessed)
            {
                lastAccessed = result.LastAccessed;
            }

            for (var j = 0; j < indices.Count; j++)
            {
                slots[indices[j]] = result.Slots[j];
            }
        }

        return exists
            ? new SessionLoadResult(true, lastAccessed, slots) { UserKey = userKey }
            : SessionLoadResult.Missing(keys.Count) with { RenewedAway = renewedAway };
    }

    public async ValueTask<SlotSaveResult> SaveAsync(SessionStoreId session, string key, ReadOnlyMemory<byte> data, long expectedVersion, bool createSession, CancellationToken cancellationToken)
    {
        var store = StoreFor(key);
        var result = await store.SaveAsync(session, key, data, expectedVersion, createSession, cancellationToken).ConfigureAwait(false);
        if (!result.IsSessionMissing)
        {
            return result;
        }

        // The session may live only in the other stores so far (its first slot in this one): it exists
        // if any of them has it, and then this store may start its part of it.
        foreach (var other in _all)
        {
            if (!ReferenceEquals(other, store) && (await other.LoadAsync(session, [], cancellationToken).ConfigureAwait(false)).Exists)
            {
                return await store.SaveAsync(session, key, data, expectedVersion, createSession: true, cancellationToken).ConfigureAwait(false);
            }
        }

        return result;
    }

    public ValueTask RemoveAsync(SessionStoreId session, string key, CancellationToken cancellationToken) =>
        StoreFor(key).RemoveAsync(session, key, cancellationToken);

    public async ValueTask DestroyAsync(SessionStoreId session, CancellationToken cancellationToken)
    {
        foreach (var store in _all)
        {
            await store.DestroyAsync(session, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<bool> RenewAsync(SessionStoreId from, SessionStoreId to, CancellationToken cancellationToken)
    {
        var moved = false;
        foreach (var store in _all)
        {
            moved |= await store.RenewAsync(from, to, cancellationToken).ConfigureAwait(false);
        }

        return moved;
    }

    public async ValueTask TouchAsync(SessionStoreId session, CancellationToken cancellationToken)
    {
        foreach (var store in _all)
        {
            await store.TouchAsync(session, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask<bool> SetUserAsync(SessionStoreId session, string userKey, string? device, bool createSession, CancellationToken cancellationToken) =>
        UserStore().SetUserAsync(session, userKey, device, createSession, cancellationToken);

    public ValueTask<IReadOnlyList<StoredSessionInfo>> GetUserSessionsAsync(string userKey, CancellationToken cancellationToken) =>
        UserStore().GetUserSessionsAsync(userKey, cancellationToken);

    /// <summary>The store that keeps the user index: the first server store, the fallback before the others.</summary>
    private ISessionUserStore UserStore() =>
        _all.OfType<ISessionUserStore>().FirstOrDefault() ?? throw SessionUsers.NotSupported();

    private ISessionStore StoreFor(string key) => _routes.TryGetValue(key, out var store) ? store : _fallback;
}
