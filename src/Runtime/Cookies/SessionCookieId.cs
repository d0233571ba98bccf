using TypedSessions.Stores;

namespace TypedSessions.Cookies;

/// <summary>The session ID a request's cookie carries, with the store ID derived from it (one hash, remembered with the cookie).</summary>
/// <param name="SessionId">The 32-byte session ID; shared with the cookie's cache, so never written to.</param>
/// <param name="StoreId">Its hash, the name the store knows the session by.</param>
internal readonly record struct SessionCookieId(byte[] SessionId, SessionStoreId StoreId)
{
    /// <summary>The ID with its store ID computed.</summary>
    public static SessionCookieId Of(byte[] sessionId) => new(sessionId, SessionStoreId.FromSessionId(sessionId));
}
