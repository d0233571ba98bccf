namespace TypedSessions;

/// <summary>
/// A request would have started a new session, but <c>TypedSessionsOptions.SessionCreationLimiter</c>
/// refused it a permit: this client has created too many sessions lately. Nothing was written. The
/// middleware answers 429 Too Many Requests, with <c>Retry-After</c> when the limiter says when to retry.
/// </summary>
public sealed class SessionRateLimitedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionRateLimitedException(string message) : base(message) { }

    /// <summary>Creates the exception with the default message.</summary>
    public SessionRateLimitedException()
        : base("Too many new sessions from this client; the write that would have started one was refused.") { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SessionRateLimitedException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>When the limiter said a retry may succeed, if it did.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
