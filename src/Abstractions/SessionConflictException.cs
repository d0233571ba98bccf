namespace TypedSessions;

/// <summary>
/// <see cref="ISession{T}.UpdateAsync"/> gave up: the slot was changed by others on every one of
/// <c>TypedSessionsOptions.MaxUpdateAttempts</c> attempts.
/// </summary>
public sealed class SessionConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionConflictException(string message) : base(message) { }

    /// <summary>Creates the exception with no message.</summary>
    public SessionConflictException() { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SessionConflictException(string message, Exception innerException) : base(message, innerException) { }
}
