using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TypedSessions.Sqlite;

namespace TypedSessions.Stores.Tests;

/// <summary>The conformance suite against a SQLite database in a file of its own.</summary>
public sealed class SqliteStoreConformanceTests : ServerStoreConformanceTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("typedsessions-sqlite-").FullName;

    private string DatabasePath => Path.Combine(_directory, "sessions.db");

    protected override Task<ISessionStore> CreateStoreAsync() => Task.FromResult<ISessionStore>(CreateStore($"Data Source={DatabasePath}"));

    protected override Task SweepAsync()
    {
        ((SqliteSessionStore)Store).DeleteExpired();
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_database_is_in_wal_mode_with_its_tables_created_on_first_use()
    {
        await Store.LoadAsync(SessionStoreId.FromSessionId(new byte[32]), ["a"], CancellationToken.None);

        Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
        Assert.Equal(4L, Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'typedsessions_%'"));
    }

    [Fact]
    public async Task Sessions_are_still_there_for_a_new_store_on_the_same_file()
    {
        var session = SessionStoreId.FromSessionId(new byte[32]);
        await Store.SaveAsync(session, "a", "kept"u8.ToArray(), StoredSlot.Absent, createSession: true, CancellationToken.None);
        ((IDisposable)Store).Dispose();
        SqliteConnection.ClearAllPools();

        using var reopened = CreateStore($"Data Source={DatabasePath}");
        var result = await reopened.LoadAsync(session, ["a"], CancellationToken.None);

        Assert.True(result.Exists);
        Assert.Equal("kept"u8.ToArray(), result.Slots[0]!.Value.Data.ToArray());
    }

    [Fact]
    public async Task The_cleanup_deletes_expired_sessions_in_batches_and_keeps_live_ones()
    {
        var store = (SqliteSessionStore)Store;
        for (var i = 0; i < 7; i++)
        {
            await Store.SaveAsync(SessionStoreId.FromSessionId(BitConverter.GetBytes(i)), "a", new byte[] { 1, 2, 3 }, StoredSlot.AnyVersion, createSession: true, CancellationToken.None);
        }

        await AdvanceTimeAsync(IdleTimeout + TimeSpan.FromSeconds(1));
        var live = SessionStoreId.FromSessionId(new byte[32]);
        await Store.SaveAsync(live, "a", new byte[] { 4 }, StoredSlot.AnyVersion, createSession: true, CancellationToken.None);

        Assert.Equal(7, store.DeleteExpired());
        Assert.Equal(0, store.DeleteExpired());
        Assert.True((await Store.LoadAsync(live, ["a"], CancellationToken.None)).Exists);
        Assert.Equal(1L, Scalar("SELECT count(*) FROM typedsessions_slots"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_database_and_its_wal_are_readable_by_their_owner_only()
    {
        await Store.SaveAsync(SessionStoreId.FromSessionId(new byte[32]), "a", new byte[] { 1 }, StoredSlot.AnyVersion, createSession: true, CancellationToken.None);

        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(DatabasePath));
        Assert.True(File.Exists(DatabasePath + "-wal"), "the store runs in WAL mode and keeps its connection pooled");
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(DatabasePath + "-wal"));
    }

    [Fact]
    public async Task Expired_sessions_are_deleted_by_the_background_cleanup()
    {
        using var store = CreateStore($"Data Source={DatabasePath}", cleanupInterval: TimeSpan.FromMilliseconds(100));
        await store.SaveAsync(SessionStoreId.FromSessionId(new byte[32]), "a", new byte[] { 1 }, StoredSlot.AnyVersion, createSession: true, CancellationToken.None);
        Assert.Equal(1L, CountSessions());

        await AdvanceTimeAsync(IdleTimeout + TimeSpan.FromSeconds(1));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (CountSessions() > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the background cleanup did not run");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_database_locked_by_another_writer_times_out_with_a_typed_error()
    {
        using var store = CreateStore($"Data Source={DatabasePath}", timeout: TimeSpan.FromSeconds(1));
        await store.LoadAsync(SessionStoreId.FromSessionId(new byte[32]), [], CancellationToken.None);
        using var blocker = new SqliteConnection($"Data Source={DatabasePath}");
        blocker.Open();
        using var transaction = blocker.BeginTransaction(deferred: false); // holds the write lock

        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () =>
            await store.SaveAsync(SessionStoreId.FromSessionId(new byte[32]), "a", new byte[] { 1 }, StoredSlot.AnyVersion, createSession: true, CancellationToken.None));

        Assert.IsType<SqliteException>(error.InnerException);
        Assert.Contains("SQLite", error.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.9), "the store waited for the lock up to its timeout");
    }

    [Fact]
    public async Task A_database_that_cannot_be_opened_raises_a_typed_error()
    {
        using var store = CreateStore($"Data Source={Path.Combine(_directory, "missing-folder", "sessions.db")}");

        var error = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () =>
            await store.LoadAsync(SessionStoreId.FromSessionId(new byte[32]), ["a"], CancellationToken.None));

        Assert.IsType<SqliteException>(error.InnerException);
    }

    private long CountSessions() => (long)Scalar("SELECT count(*) FROM typedsessions_sessions")!;

    // Looks into the database file directly, as an operator would.
    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    // Five seconds of waiting for SQLite's write lock: the fifty concurrent writers of the conformance suite
    // queue behind each other on a busy two-core machine.
    private SqliteSessionStore CreateStore(string connectionString, TimeSpan? cleanupInterval = null, TimeSpan? timeout = null) => new(
        Options.Create(new TypedSessionsOptions { IdleTimeout = IdleTimeout, AbsoluteLifetime = AbsoluteLifetime }),
        Options.Create(new SqliteSessionStoreOptions
        {
            ConnectionString = connectionString,
            OperationTimeout = timeout ?? TimeSpan.FromSeconds(5),
            CleanupInterval = cleanupInterval ?? TimeSpan.FromMinutes(5),
        }),
        Clock,
        NullLogger<SqliteSessionStore>.Instance,
        Ended);
}
