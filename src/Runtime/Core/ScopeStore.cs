using Microsoft.Extensions.Logging;
using TypedSessions.Diagnostics;
using TypedSessions.Stores;

namespace TypedSessions.Core;

/// <summary>
/// The store as one scope calls it: always for the scope's current session, and every call through
/// <see cref="StoreCalls"/> (timed, traced, failures turned into the typed, logged
/// <see cref="SessionStoreUnavailableException"/>), so the session logic never sees a raw store error.
/// For a store a round trip away, it also remembers what it read and wrote (<see cref="RecentSlots"/>).
/// </summary>
internal sealed class ScopeStore(ISessionStore store, SessionIdentity identity, SessionMetrics metrics, ILogger logger, RecentSlots recentSlots)
{
    private static readonly string[] NoKeys = [];

    private readonly RecentSlots? _recent = store is IRoundTripSessionStore ? recentSlots : null;

    /// <summary>The configured store (to ask what it supports, such as a user index).</summary>
    public ISessionStore Inner => store;

    /// <summary>Loads slot <paramref name="key"/>, or only the session's own record for <see langword="null"/>.</summary>
    public ValueTask<SessionLoadResult> LoadAsync(string? key, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> keys = key is null ? NoKeys : [key];
        return StoreCalls.RunAsync(store, metrics, logger, "load", (identity.StoreId, keys, cancellationToken),
            static (s, a) => s.LoadAsync(a.StoreId, a.keys, a.cancellationToken), identity.LogTag);
    }

    public ValueTask<SlotSaveResult> SaveAsync(string key, byte[] data, long expectedVersion, bool createSession, CancellationToken cancellationToken)
    {
        return StoreCalls.RunAsync(store, metrics, logger, "save", (identity.StoreId, key, data, expectedVersion, createSession, cancellationToken),
            static (s, a) => s.SaveAsync(a.StoreId, a.key, a.data, a.expectedVersion, a.createSession, a.cancellationToken), identity.LogTag);
    }

    /// <summary>Records what the store holds for slot <paramref name="key"/> (read or just written) for a later update.</summary>
    public void Remember(string key, StoredSlot slot) => _recent?.Remember(identity.StoreId, key, slot);

    /// <summary>This process's last copy of slot <paramref name="key"/>, when the store is a round trip away and one is remembered.</summary>
    public bool TryRecall(string key, out StoredSlot slot)
    {
        slot = default;
        return _recent is not null && _recent.TryRecall(identity.StoreId, key, out slot);
    }

    public ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken)
    {
        var id = identity.StoreId;
        _recent?.Forget(id, key);
        return Run("remove", s => s.RemoveAsync(id, key, cancellationToken));
    }

    public ValueTask<bool> DestroyAsync(CancellationToken cancellationToken)
    {
        var id = identity.StoreId;
        return Run("destroy", s => s.DestroyAsync(id, cancellationToken));
    }

    public ValueTask<bool> RenewAsync(SessionStoreId to, CancellationToken cancellationToken)
    {
        var id = identity.StoreId;
        return Run("renew", s => s.RenewAsync(id, to, cancellationToken));
    }

    public ValueTask<bool> TouchAsync(CancellationToken cancellationToken)
    {
        var id = identity.StoreId;
        return Run("touch", s => s.TouchAsync(id, cancellationToken));
    }

    public ValueTask<bool> SetUserAsync(string userKey, string? device, bool createSession, CancellationToken cancellationToken)
    {
        var users = SessionUsers.Of(store);
        var id = identity.StoreId;
        return Run("set_user", _ => users.SetUserAsync(id, userKey, device, createSession, cancellationToken));
    }

    private ValueTask<T> Run<T>(string operation, Func<ISessionStore, ValueTask<T>> call) =>
        StoreCalls.RunAsync(store, metrics, logger, operation, call, identity.LogTag);

    private ValueTask<bool> Run(string operation, Func<ISessionStore, ValueTask> call) =>
        Run(operation, async s =>
        {
            await call(s).ConfigureAwait(false);
            return true;
        });
}
