namespace TypedSessions.Sqlite;

/// <summary>Options of <see cref="SqliteSessionStore"/>.</summary>
public sealed class SqliteSessionStoreOptions
{
    /// <summary>
    /// The database, as a Microsoft.Data.Sqlite connection string. The file and its tables are created
    /// on first use. Default: <c>Data Source=sessions.db</c> (in the working directory).
    /// </summary>
    public string ConnectionString { get; set; } = "Data Source=sessions.db";

    /// <summary>
    /// How long an operation waits for the database (a lock held by another writer) before it fails
    /// with <see cref="SessionStoreUnavailableException"/>. Whole seconds, at least one. Default: 5 seconds.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often expired sessions are deleted, in the background. Default: 5 minutes.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many expired sessions one cleanup transaction deletes, so that a large cleanup holds the write
    /// lock in short steps and requests interleave. Default: 500.
    /// </summary>
    public int CleanupBatchSize { get; set; } = 500;
}
