using TypedSessions.Stores;

namespace TypedSessions.Cookies;

/// <summary>
/// The session ID a request's cookie carries, with what is derived from it: its store ID (a SHA-256) and
/// its tag for logs. Worked out once per cookie value and remembered with it (<see cref="SessionCookie"/>).
/// </summary>
/// <param name="SessionId">The 32-byte session ID; shared with the cookie's cache, so never written to.</param>
/// <param name="StoreId">Its hash, the name the store knows the session by.</param>
/// <param name="LogTag">A short tag of the store ID for logs (<see cref="SessionStoreId.ToLogTag"/>); never the session ID.</param>
internal readonly record struct SessionCookieId(byte[] SessionId, SessionStoreId StoreId, string LogTag)
{
    /// <summary>The ID with its store ID and log tag computed.</summary>
    public static SessionCookieId Of(byte[] sessionId)
    {
        var storeId = SessionStoreId.FromSessionId(sessionId);
        return new(sessionId, storeId, storeId.ToLogTag());
    }
}
