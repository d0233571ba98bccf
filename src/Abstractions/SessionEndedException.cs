namespace TypedSessions;

/// <summary>
/// A write was refused because the session ended while this request or circuit was using it: it was
/// invalidated (signed out) or renewed by another request, or it expired. The write is not carried
/// out, and no new session is started in its place, so that a request racing a sign-out can never
/// bring the session or its data back. Answered with <c>TypedSessionsOptions.ConflictStatusCode</c>
/// (409 by default) by the middleware; the client can reload and carry on in its current session.
/// </summary>
public sealed class SessionEndedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionEndedException(string message) : base(message) { }

    /// <summary>Creates the exception with the default message.</summary>
    public SessionEndedException()
        : base("The session ended (signed out, renewed or expired elsewhere) while this request or circuit was using it; the write was refused.") { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SessionEndedException(string message, Exception innerException) : base(message, innerException) { }
}
