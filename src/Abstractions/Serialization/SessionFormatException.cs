namespace TypedSessions.Serialization;

/// <summary>
/// Thrown by <see cref="SessionReader"/> when bytes are truncated, corrupt, of another state, or of a
/// member whose type changed. It never leaves the runtime: a slot that fails to load comes back as
/// the state's default instance and a warning is logged.
/// </summary>
public sealed class SessionFormatException : Exception
{
    /// <summary>Creates the exception with a message saying what was wrong with the bytes.</summary>
    public SessionFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with no message.</summary>
    public SessionFormatException() { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public SessionFormatException(string message, Exception innerException) : base(message, innerException) { }
}
