namespace TypedSessions.Serialization;

/// <summary>How a stored slot was read.</summary>
public enum SessionReadStatus
{
    /// <summary>Read with the current schema.</summary>
    Current,

    /// <summary>Read from bytes written by another version of the schema (members added, removed or reordered).</summary>
    Migrated,

    /// <summary>The bytes could not be read; the value is the state's default instance.</summary>
    Invalid,
}
