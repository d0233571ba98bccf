using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedSessions.Stores;

namespace TypedSessions.Sqlite;

/// <summary>
/// Sessions in a SQLite database: embedded, nothing to install, and persistent, so sessions survive a
/// restart of the server. For one server; a web farm needs a shared store (TypedSessions.Redis).
/// </summary>
/// <remarks>
/// <para>The schema (<see cref="SqliteSchema"/>) is created on first use and the database is put in WAL
/// mode, so readers never wait for the writer. Each slot is a row with a version column; a save is a
/// compare-and-set on it inside one <c>BEGIN IMMEDIATE</c> transaction. Versions come from one counter
/// for the whole database, so a slot removed and written again never repeats a version.</para>
/// <para>Microsoft.Data.Sqlite does its I/O synchronously even behind its async methods; the work of
/// each call is a few indexed statements on a local file, done on the caller's thread. Expired sessions
/// are deleted by a background timer in small batches.</para>
/// </remarks>
public sealed partial class SqliteSessionStore : ISessionStore, ISessionUserStore, IDisposable
{
    private readonly string _connectionString;
    private readonly SessionLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteSessionStore> _logger;
    private readonly int _cleanupBatchSize;
    private readonly ITimer _cleanupTimer;
    private readonly Lock _schemaGate = new();
    private readonly ISessionEndedSink? _ended;
    private volatile bool _schemaReady;
    private int _cleaning;

    /// <summary>Creates the store; the database is opened on first use. <paramref name="ended"/> is told of the sessions its cleanup deletes.</summary>
    public SqliteSessionStore(
        IOptions<TypedSessionsOptions> options,
        IOptions<SqliteSessionStoreOptions> sqliteOptions,
        TimeProvider time,
        ILogger<SqliteSessionStore> logger,
        ISessionEndedSink? ended = null)
    {
        _ended = ended;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sqliteOptions);
        var settings = sqliteOptions.Value;
        _connectionString = new SqliteConnectionStringBuilder(settings.ConnectionString)
        {
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(settings.OperationTimeout.TotalSeconds)),
            Pooling = true,
        }.ToString();
        _lifetime = SessionLifetime.From(options.Value);
        _time = time;
        _logger = logger;
        _cleanupBatchSize = Math.Max(1, settings.CleanupBatchSize);
        _cleanupTimer = time.CreateTimer(static s => ((SqliteSessionStore)s!).StartCleanup(), this, settings.CleanupInterval, settings.CleanupInterval);
    }

    /// <inheritdoc />
    public ValueTask<SessionLoadResult> LoadAsync(SessionStoreId session, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return Run("load", connection =>
        {
            // A deferred transaction: both reads see one snapshot, and no write lock is taken.
            using var transaction = connection.BeginTransaction(deferred: true);
            var now = Now();
            var found = SqliteSchema.ReadSession(connection, transaction, session);
            if (found is not { } row || now > row.ExpiresAt)
            {
                return SessionLoadResult.Missing(keys.Count) with { RenewedAway = SqliteSchema.WasRenewed(connection, transaction, session, now) };
            }

            var slots = SqliteSchema.ReadSlots(connection, transaction, session, keys);
            transaction.Commit();
            return new SessionLoadResult(true, DateTimeOffset.FromUnixTimeMilliseconds(row.LastAccess), slots) { UserKey = row.UserKey };
        });
    }

    /// <inheritdoc />
    public ValueTask<SlotSaveResult> SaveAsync(SessionStoreId session, string key, ReadOnlyMemory<byte> data, long expectedVersion, bool createSession, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Run("save", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var now = Now();
            var createdAt = now;
            var row = SqliteSchema.ReadSession(connection, transaction, session);
            if (row is { } expired && now > expired.ExpiresAt)
            {
                if (!createSession)
                {
                    return SlotSaveResult.SessionMissing;
                }

                // The ID outlived its session: what is written now starts a new one.
                SqliteSchema.DeleteSession(connection, transaction, session);
            }
            else if (row is { } alive)
            {
                createdAt = alive.CreatedAt;
            }
            else if (!createSession)
            {
                return SlotSaveResult.SessionMissing;
            }

            var current = SqliteSchema.ReadVersion(connection, transaction, session, key);
            if (expectedVersion != StoredSlot.AnyVersion && expectedVersion != current)
            {
                return SlotSaveResult.Conflict;
            }

            var version = SqliteSchema.NextVersion(connection, transaction);
            SqliteSchema.WriteSlot(connection, transaction, session, key, data, version);
            SqliteSchema.WriteSession(connection, transaction, session, createdAt, now, _lifetime.ExpiresAt(createdAt, now));
            transaction.Commit();
            return new SlotSaveResult(true, version);
        });
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(SessionStoreId session, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Run("remove a slot", connection => SqliteSchema.DeleteSlot(connection, session, key));
    }

    /// <inheritdoc />
    public ValueTask DestroyAsync(SessionStoreId session, CancellationToken cancellationToken) =>
        Run("destroy a session", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            SqliteSchema.DeleteSession(connection, transaction, session);
            transaction.Commit();
        });

    /// <inheritdoc />
    public ValueTask<bool> RenewAsync(SessionStoreId from, SessionStoreId to, CancellationToken cancellationToken) =>
        Run("renew a session", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var now = Now();
            if (SqliteSchema.ReadSession(connection, transaction, from) is not { } row || now > row.ExpiresAt
                || SqliteSchema.ReadSession(connection, transaction, to) is not null)
            {
                return false;
            }

            SqliteSchema.WriteSession(connection, transaction, to, row.CreatedAt, now, _lifetime.ExpiresAt(row.CreatedAt, now), row.UserKey, row.Device);
            SqliteSchema.MoveSlots(connection, transaction, from, to);
            SqliteSchema.DeleteSession(connection, transaction, from);
            SqliteSchema.RememberRenewed(connection, transaction, from, now + (long)SessionLifetime.RenewedAwayFor.TotalMilliseconds);
            transaction.Commit();
            return true;
        });

    /// <inheritdoc />
    public ValueTask TouchAsync(SessionStoreId session, CancellationToken cancellationToken) =>
        Run("refresh the idle time", connection => SqliteSchema.Touch(connection, session, Now(), _lifetime));

    /// <inheritdoc />
    public ValueTask<bool> SetUserAsync(SessionStoreId session, string userKey, string? device, bool createSession, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userKey);
        return Run("sign in", connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var now = Now();
            var row = SqliteSchema.ReadSession(connection, transaction, session);
            if (row is not { } alive || now > alive.ExpiresAt)
            {
                if (!createSession)
                {
                    return false;
                }

                SqliteSchema.DeleteSession(connection, transaction, session);
                SqliteSchema.WriteSession(connection, transaction, session, now, now, _lifetime.ExpiresAt(now, now));
            }
            else
            {
                SqliteSchema.WriteSession(connection, transaction, session, alive.CreatedAt, now, _lifetime.ExpiresAt(alive.CreatedAt, now));
            }

            SqliteSchema.SetUser(connection, transaction, session, userKey, device);
            transaction.Commit();
            return true;
        });
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSessionInfo>> GetUserSessionsAsync(string userKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userKey);
        return Run<IReadOnlyList<StoredSessionInfo>>("list a user's sessions", connection => SqliteSchema.ReadUserSessions(connection, userKey, Now()));
    }

    /// <summary>
    /// Deletes expired sessions now, in batches, and reports each to the session-ended hooks (at most once:
    /// a session deleted just before the process stops is not reported); returns how many were deleted.
    /// </summary>
    public int DeleteExpired()
    {
        var total = 0;
        int deleted;
        do
        {
            var batch = Execute("delete expired sessions", connection =>
            {
                SqliteSchema.ForgetRenewed(connection, Now());
                return SqliteSchema.DeleteExpired(connection, Now(), _cleanupBatchSize);
            });
            foreach (var (session, userKey) in batch)
            {
                _ended?.SessionEnded(session, userKey, SessionEndReason.Expired);
            }

            deleted = batch.Count;
            total += deleted;
        }
        while (deleted == _cleanupBatchSize);

        return total;
    }

    /// <inheritdoc />
    public void Dispose() => _cleanupTimer.Dispose();

    // Off the timer's thread, and never two at once: a slow cleanup must not pile up behind itself.
    private void StartCleanup()
    {
        if (Interlocked.Exchange(ref _cleaning, 1) == 1)
        {
            return;
        }

        _ = Task.Run(() =>
        {
            try
            {
                var deleted = DeleteExpired();
                if (deleted > 0)
                {
                    LogCleanup(_logger, deleted);
                }
            }
            catch (SessionStoreUnavailableException e)
            {
                LogCleanupFailed(_logger, e);
            }
            finally
            {
                Volatile.Write(ref _cleaning, 0);
            }
        });
    }

    private ValueTask<T> Run<T>(string operation, Func<SqliteConnection, T> work)
    {
        try
        {
            return ValueTask.FromResult(Execute(operation, work));
        }
        catch (SessionStoreUnavailableException e)
        {
            return ValueTask.FromException<T>(e);
        }
    }

    private ValueTask Run(string operation, Action<SqliteConnection> work)
    {
        try
        {
            Execute(operation, connection =>
            {
                work(connection);
                return true;
            });
            return ValueTask.CompletedTask;
        }
        catch (SessionStoreUnavailableException e)
        {
            return ValueTask.FromException(e);
        }
    }

    // One pooled connection per call; every SQLite failure (busy past the timeout, a missing or
    // unwritable file, a corrupt database) becomes the runtime's typed "store unavailable" error.
    private T Execute<T>(string operation, Func<SqliteConnection, T> work)
    {
        try
        {
            if (!_schemaReady)
            {
                CreatePrivateFile();
            }

            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            EnsureSchema(connection);
            return work(connection);
        }
        catch (SqliteException e)
        {
            throw new SessionStoreUnavailableException(
                $"The SQLite session store failed to {operation} (SQLite error {e.SqliteErrorCode}: {e.Message}).", e);
        }
    }

    // Sessions are secrets of their users: the database is created readable by this process's user only
    // (0600). SQLite gives its -wal and -shm files the database file's permissions. A file that already
    // exists keeps the permissions it has.
    private void CreatePrivateFile()
    {
        var builder = new SqliteConnectionStringBuilder(_connectionString);
        var path = builder.DataSource;
        if (OperatingSystem.IsWindows() || builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(path) || path == ":memory:" || File.Exists(path))
        {
            return;
        }

        try
        {
            using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Created meanwhile by another connection (used as it is), or not creatable here (a missing
            // folder, no permission): SQLite's own open then reports what is wrong.
        }
    }

    private void EnsureSchema(SqliteConnection connection)
    {
        if (_schemaReady)
        {
            return;
        }

        lock (_schemaGate)
        {
            if (!_schemaReady)
            {
                SqliteSchema.Create(connection);
                _schemaReady = true;
            }
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(1, LogLevel.Debug, "Deleted {Count} expired sessions from the SQLite session store.", EventName = "SqliteCleanup")]
    private static partial void LogCleanup(ILogger logger, int count);

    [LoggerMessage(2, LogLevel.Warning, "Deleting expired sessions from the SQLite session store failed; the next run tries again.", EventName = "SqliteCleanupFailed")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception);
}
