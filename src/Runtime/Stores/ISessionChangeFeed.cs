namespace TypedSessions.Stores;

/// <summary>
/// Carries "this slot changed" notices between the scopes (requests, Blazor circuits) that use one
/// session, so that components showing a state re-render when it changes elsewhere.
/// </summary>
/// <remarks>
/// The default feed reaches the scopes of this process. A store shared by several servers replaces
/// it (through DI) with one that also reaches the other servers. A notice carries no data: a listener
/// reads the slot from the store again if it needs to.
/// </remarks>
public interface ISessionChangeFeed
{
    /// <summary>Tells every listener of <see cref="SessionChange.Session"/> that it changed.</summary>
    void Publish(SessionChange change);

    /// <summary>
    /// Calls <paramref name="listener"/> for every change of <paramref name="session"/> until the result
    /// is disposed. The listener runs on the publisher's thread and must return quickly.
    /// </summary>
    IDisposable Subscribe(SessionStoreId session, Action<SessionChange> listener);
}

/// <summary>A change of one session.</summary>
/// <param name="Session">The session that changed.</param>
/// <param name="Key">The slot that changed; <see langword="null"/> when the session as a whole ended (destroyed, or renewed to a new ID).</param>
/// <param name="Version">The slot's version after the change (<see cref="StoredSlot.Absent"/> when it was removed).</param>
public readonly record struct SessionChange(SessionStoreId Session, string? Key, long Version);
