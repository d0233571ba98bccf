namespace TypedSessions;

/// <summary>
/// The sessions of users, for account pages ("your devices"), admin pages and background jobs: list
/// a user's sessions and end one, or all of them. A singleton. Ending a session here ends it
/// everywhere at once: its cookie loads nothing afterwards, and its open Blazor views are told (across
/// servers, on Redis) and re-render as signed out.
/// </summary>
/// <remarks>
/// Sessions are tied to users by <see cref="ISessionContext.SignInAsync"/>. The directory works on the
/// server store (memory, SQLite, Redis): the cookie store keeps no list of sessions. A handle names a
/// session but grants nothing: before ending a session on a user's behalf, check that the handle is
/// one of that user's (<see cref="GetSessionsAsync"/>).
/// </remarks>
public interface ISessionDirectory
{
    /// <summary>The live sessions of <paramref name="userKey"/>, most recently seen first; expired ones never show.</summary>
    Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(string userKey, CancellationToken cancellationToken = default);

    /// <summary>Ends the session named by <paramref name="handle"/>; <see langword="false"/> when there was none.</summary>
    Task<bool> InvalidateAsync(string handle, CancellationToken cancellationToken = default);

    /// <summary>Ends every session of <paramref name="userKey"/> (an account disabled or its password changed); returns how many.</summary>
    Task<int> InvalidateUserAsync(string userKey, CancellationToken cancellationToken = default);
}

/// <summary>One live session of a user.</summary>
/// <param name="Handle">The session's handle (<see cref="ISessionContext.Handle"/>): not a secret, never usable as a cookie.</param>
/// <param name="UserKey">The user it is signed in as.</param>
/// <param name="CreatedAt">When the session started.</param>
/// <param name="LastSeenAt">When it was last used (refreshed at most every <c>TypedSessionsOptions.IdleRefreshInterval</c>).</param>
/// <param name="Device">A short label of the browser and system that signed in ("Firefox on Linux"), never the raw User-Agent.</param>
public sealed record SessionInfo(string Handle, string UserKey, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, string? Device);

/// <summary>Why a session ended.</summary>
public enum SessionEndReason
{
    /// <summary>Its own user signed out (<see cref="ISessionContext.InvalidateAsync"/>).</summary>
    Invalidated,

    /// <summary>It passed its idle timeout or absolute lifetime.</summary>
    Expired,

    /// <summary>The memory store was full and dropped it.</summary>
    Evicted,

    /// <summary>It was ended from elsewhere: another session of the user, or <see cref="ISessionDirectory"/>.</summary>
    Revoked,
}

/// <summary>What a session-ended hook (<c>AddTypedSessions().OnSessionEnded(...)</c>) is told.</summary>
/// <param name="Handle">The ended session's handle.</param>
/// <param name="UserKey">The user it was signed in as, or <see langword="null"/>.</param>
/// <param name="Reason">Why it ended.</param>
/// <param name="Services">A service scope of its own, for the hook's work.</param>
public sealed record SessionEndedContext(string Handle, string? UserKey, SessionEndReason Reason, IServiceProvider Services);
