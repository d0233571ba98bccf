namespace TypedSessions.Stores;

/// <summary>
/// What a server store adds to tie sessions to users: a user → sessions index, kept atomically with
/// renew (the session moves, its user with it), destroy and expiry (an expired session is never
/// listed). Implemented by the memory, SQLite and Redis stores; the cookie store keeps no index.
/// </summary>
public interface ISessionUserStore
{
    /// <summary>
    /// Ties <paramref name="session"/> to <paramref name="userKey"/> (replacing any earlier user) and
    /// records <paramref name="device"/>. <paramref name="createSession"/> as for <see cref="ISessionStore.SaveAsync"/>.
    /// </summary>
    /// <returns><see langword="false"/> when the session does not exist and could not be created.</returns>
    ValueTask<bool> SetUserAsync(SessionStoreId session, string userKey, string? device, bool createSession, CancellationToken cancellationToken);

    /// <summary>The live sessions of <paramref name="userKey"/>.</summary>
    ValueTask<IReadOnlyList<StoredSessionInfo>> GetUserSessionsAsync(string userKey, CancellationToken cancellationToken);
}

/// <summary>A live session of a user, as a store holds it.</summary>
/// <param name="Session">The session.</param>
/// <param name="UserKey">Its user.</param>
/// <param name="CreatedAt">When it started.</param>
/// <param name="LastAccessed">When it was last written or touched.</param>
/// <param name="Device">The device label recorded at sign-in.</param>
public readonly record struct StoredSessionInfo(SessionStoreId Session, string UserKey, DateTimeOffset CreatedAt, DateTimeOffset LastAccessed, string? Device);

/// <summary>
/// Told by a store when it ends a session on its own (expiry, eviction), so the application's
/// session-ended hooks run. Sessions ended by the runtime (invalidate, revoke) are not reported here.
/// </summary>
public interface ISessionEndedSink
{
    /// <summary>The store ended <paramref name="session"/> (of <paramref name="userKey"/>, if signed in) for <paramref name="reason"/>.</summary>
    void SessionEnded(SessionStoreId session, string? userKey, SessionEndReason reason);
}
