namespace TypedSessions;

/// <summary>
/// The session store could not be reached or did not answer in time. The middleware turns it into
/// <c>TypedSessionsOptions.StoreUnavailableStatusCode</c> (503 by default) and logs it.
/// </summary>
public sealed class SessionStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionStoreUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with no message.</summary>
    public SessionStoreUnavailableException() { }

    /// <summary>Creates the exception with a message and the store's own error.</summary>
    public SessionStoreUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
