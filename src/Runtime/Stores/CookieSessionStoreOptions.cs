namespace TypedSessions.Stores;

/// <summary>Options of the cookie store (<c>UseCookieStore</c>, <c>UseCookieStoreFor&lt;T&gt;</c>).</summary>
public sealed class CookieSessionStoreOptions
{
    /// <summary>
    /// The most the slot cookies of one session may take in the request's Cookie header, all states
    /// together. A write past it fails with <see cref="SessionCookieTooLargeException"/> before anything
    /// is written. Default: 6 KB, which stays under the 8 KB header line that common proxies (nginx)
    /// accept, with room for the session cookie and others.
    /// </summary>
    public int MaxBytes { get; set; } = 6 * 1024;
}
