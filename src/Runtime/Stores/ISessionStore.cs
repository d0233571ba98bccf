namespace TypedSessions.Stores;

/// <summary>
/// Where sessions live. A session is a set of slots, each (session, state key) → bytes and a version.
/// Implementations must be thread-safe; the runtime wraps any exception other than cancellation in
/// <see cref="SessionStoreUnavailableException"/>.
/// </summary>
/// <remarks>
/// The contract, checked by the conformance suite for every store:
/// <list type="bullet">
/// <item>a load reads several slots in one round trip and says whether the session exists;</item>
/// <item>a save is a compare-and-set on the slot's version; it creates the session only when asked to, so that a
/// session destroyed, renewed away or expired while a request was still using it never comes back;</item>
/// <item>idle timeout and absolute lifetime (<see cref="TypedSessionsOptions"/>) are enforced: an expired session loads as missing;</item>
/// <item>renew moves every slot to a new ID atomically; the old ID loads nothing afterwards, and for
/// <see cref="SessionLifetime.RenewedAwayFor"/> loads as <see cref="SessionLoadResult.RenewedAway"/>;</item>
/// <item>the store only ever sees <see cref="SessionStoreId"/>, the hash of the session ID.</item>
/// </list>
/// </remarks>
public interface ISessionStore
{
    /// <summary>Loads the slots named by <paramref name="keys"/> in one round trip.</summary>
    ValueTask<SessionLoadResult> LoadAsync(SessionStoreId session, IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a slot if its version is <paramref name="expectedVersion"/> (<see cref="StoredSlot.Absent"/>:
    /// only if it does not exist; <see cref="StoredSlot.AnyVersion"/>: unconditionally). Counts as an
    /// access for the idle timeout.
    /// </summary>
    /// <param name="session">The session.</param>
    /// <param name="key">The slot's state key.</param>
    /// <param name="data">The slot's new bytes.</param>
    /// <param name="expectedVersion">The version the caller read, <see cref="StoredSlot.Absent"/> or <see cref="StoredSlot.AnyVersion"/>.</param>
    /// <param name="createSession">
    /// Whether the save may create the session when it does not exist (alive). The runtime passes
    /// <see langword="true"/> only for an ID it has just minted; for any other ID a missing session is
    /// answered with <see cref="SlotSaveResult.SessionMissing"/> and nothing is written.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<SlotSaveResult> SaveAsync(SessionStoreId session, string key, ReadOnlyMemory<byte> data, long expectedVersion, bool createSession, CancellationToken cancellationToken);

    /// <summary>Removes a slot, if it exists.</summary>
    ValueTask RemoveAsync(SessionStoreId session, string key, CancellationToken cancellationToken);

    /// <summary>Destroys a session and all its slots.</summary>
    ValueTask DestroyAsync(SessionStoreId session, CancellationToken cancellationToken);

    /// <summary>Moves every slot of <paramref name="from"/> to <paramref name="to"/> atomically, keeping the creation time.</summary>
    /// <returns><see langword="false"/> when <paramref name="from"/> does not exist (nothing moved).</returns>
    ValueTask<bool> RenewAsync(SessionStoreId from, SessionStoreId to, CancellationToken cancellationToken);

    /// <summary>Records an access for the idle timeout without changing any slot.</summary>
    ValueTask TouchAsync(SessionStoreId session, CancellationToken cancellationToken);
}
