namespace TypedSessions;

/// <summary>
/// A state kept in the cookie store would take the slot cookies past
/// <c>CookieSessionStoreOptions.MaxBytes</c>. Thrown before anything is written: the
/// browser keeps what it had. Keep large states in a server store (see <c>UseStoreFor</c>).
/// </summary>
public sealed class SessionCookieTooLargeException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public SessionCookieTooLargeException(string key, int size, int budget)
        : base($"Writing state '{key}' to the cookie store would make the session's cookies about {size} bytes, over the budget of {budget} bytes " +
               "(CookieSessionStoreOptions.MaxBytes). Nothing was written. Keep this state in a server store, or make it smaller.")
    {
        Key = key;
        Size = size;
        Budget = budget;
    }

    /// <summary>Creates the exception with no details.</summary>
    public SessionCookieTooLargeException() { }

    /// <summary>Creates the exception with a message.</summary>
    public SessionCookieTooLargeException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SessionCookieTooLargeException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The state's key.</summary>
    public string? Key { get; }

    /// <summary>The size the cookies would have had, in bytes.</summary>
    public int Size { get; }

    /// <summary>The configured budget, in bytes.</summary>
    public int Budget { get; }
}
