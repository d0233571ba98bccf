using Microsoft.Extensions.Logging;

namespace TypedSessions.Diagnostics;

/// <summary>Every log message of TypedSessions, one numbered event each. None holds a session ID, only a tag of its hash.</summary>
internal static partial class Log
{
    // Event 10 (MemoryStoreEvicted) is declared by the memory store itself.

    [LoggerMessage(1, LogLevel.Debug, "The session cookie was rejected ({Reason}); the request starts a fresh pre-session.", EventName = "CookieRejected")]
    public static partial void CookieRejected(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Debug, "Session {Session} started.", EventName = "SessionStarted")]
    public static partial void SessionStarted(ILogger logger, string session);

    [LoggerMessage(3, LogLevel.Information, "Session {OldSession} renewed as {NewSession}.", EventName = "SessionRenewed")]
    public static partial void SessionRenewed(ILogger logger, string oldSession, string newSession);

    [LoggerMessage(4, LogLevel.Information, "Session {Session} invalidated.", EventName = "SessionInvalidated")]
    public static partial void SessionInvalidated(ILogger logger, string session);

    [LoggerMessage(5, LogLevel.Warning, "Slot '{Key}' of session {Session} could not be read and was reset to its default: {Error}", EventName = "SlotUnreadable")]
    public static partial void SlotUnreadable(ILogger logger, string key, string session, string? error);

    [LoggerMessage(6, LogLevel.Debug, "Slot '{Key}' of session {Session} was written by another version of its schema and was migrated.", EventName = "SlotMigrated")]
    public static partial void SlotMigrated(ILogger logger, string key, string session);

    [LoggerMessage(7, LogLevel.Error, "The session store failed to {Operation} for session {Session}.", EventName = "StoreFailed")]
    public static partial void StoreFailed(ILogger logger, string operation, string session, Exception exception);

    [LoggerMessage(8, LogLevel.Debug, "Update of slot '{Key}' conflicted with another writer (attempt {Attempt}); retrying.", EventName = "UpdateRetried")]
    public static partial void UpdateRetried(ILogger logger, string key, int attempt);

    [LoggerMessage(9, LogLevel.Debug, "Session {Session} is unknown to the store (expired, evicted or destroyed); it continues as a pre-session.", EventName = "SessionUnknown")]
    public static partial void SessionUnknown(ILogger logger, string session);

    [LoggerMessage(11, LogLevel.Error, "The session store is unavailable; the request was answered with status {StatusCode}.", EventName = "StoreUnavailable")]
    public static partial void StoreUnavailable(ILogger logger, int statusCode, Exception exception);

    [LoggerMessage(12, LogLevel.Error, "A component watching slot '{Key}' failed while handling a change.", EventName = "WatcherFailed")]
    public static partial void WatcherFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "A Blazor circuit started without a connection request to read the session cookie from; it starts as a pre-session.", EventName = "CircuitWithoutRequest")]
    public static partial void CircuitWithoutRequest(ILogger logger);

    [LoggerMessage(14, LogLevel.Debug, "A request to the cookie endpoint was refused ({Reason}).", EventName = "CookieTicketRejected")]
    public static partial void CookieTicketRejected(ILogger logger, string reason);

    [LoggerMessage(15, LogLevel.Error, "The session cookie change ({Change}) of session {Session} could not be delivered to the browser of a Blazor circuit.", EventName = "CookieDeliveryFailed")]
    public static partial void CookieDeliveryFailed(ILogger logger, string change, string session, Exception exception);

    [LoggerMessage(16, LogLevel.Debug, "The cookie of slot '{Key}' was ignored ({Reason}); the slot reads as empty.", EventName = "SlotCookieRejected")]
    public static partial void SlotCookieRejected(ILogger logger, string key, string reason);

    [LoggerMessage(17, LogLevel.Information, "{Count} requests to the cookie endpoint were refused since the last summary (the last one: {Reason}).", EventName = "CookieTicketsRefused")]
    public static partial void CookieTicketsRefused(ILogger logger, int count, string reason);

    [LoggerMessage(18, LogLevel.Information, "Session {Session} ended while this scope was using it (signed out, renewed or expired elsewhere); its writes are refused.", EventName = "SessionEndedUnderneath")]
    public static partial void SessionEndedUnderneath(ILogger logger, string session);

    [LoggerMessage(19, LogLevel.Information, "A write of slot '{Key}' was refused: session {Session} has ended.", EventName = "WriteAfterSessionEnded")]
    public static partial void WriteAfterSessionEnded(ILogger logger, string key, string session);

    [LoggerMessage(20, LogLevel.Information, "A request was answered with status {StatusCode}: {Message}", EventName = "SessionConflict")]
    public static partial void SessionConflict(ILogger logger, int statusCode, string message);

    [LoggerMessage(21, LogLevel.Error, "The running Microsoft.AspNetCore.DataProtection is version {Version}, which accepts forged cookies (CVE-2026-40372): session cookies cannot be trusted. Update the ASP.NET Core runtime to {FirstFixed} or later.", EventName = "VulnerableDataProtection")]
    public static partial void VulnerableDataProtection(ILogger logger, string version, string firstFixed);

    [LoggerMessage(22, LogLevel.Debug, "A new session was refused by the session creation limiter; the request is answered 429.", EventName = "SessionCreationLimited")]
    public static partial void SessionCreationLimited(ILogger logger);

    [LoggerMessage(23, LogLevel.Error, "A session-ended hook failed for session {Session} (ended: {Reason}).", EventName = "SessionEndedHookFailed")]
    public static partial void SessionEndedHookFailed(ILogger logger, SessionEndReason reason, string session, Exception exception);

    [LoggerMessage(24, LogLevel.Information, "Session {Session} was ended from elsewhere (revoked).", EventName = "SessionRevoked")]
    public static partial void SessionRevoked(ILogger logger, string session);

    [LoggerMessage(25, LogLevel.Information, "Session {Session} signed in.", EventName = "SignedIn")]
    public static partial void SignedIn(ILogger logger, string session);

    [LoggerMessage(26, LogLevel.Information, "A Blazor circuit was opened from another origin; it starts as a pre-session, without the browser's session.", EventName = "CircuitFromAnotherOrigin")]
    public static partial void CircuitFromAnotherOrigin(ILogger logger);
}
