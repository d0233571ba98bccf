using StackExchange.Redis;

namespace TypedSessions.Redis;

/// <summary>Options of <see cref="RedisSessionStore"/> and <see cref="RedisSessionChangeFeed"/>.</summary>
public sealed class RedisSessionStoreOptions
{
    /// <summary>
    /// The server, as a StackExchange.Redis configuration string (for example <c>127.0.0.1:6379</c> or
    /// <c>redis.internal:6380,password=…,ssl=true</c>). Default: <c>127.0.0.1:6379</c>.
    /// </summary>
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>
    /// Gets the application's own connection instead of opening one from <see cref="Configuration"/>
    /// (which is then ignored), as <c>RedisCacheOptions.ConnectionMultiplexerFactory</c> does for
    /// ASP.NET Core's Redis cache. Called once, on first use; the connection is not disposed by the
    /// store. Set by the <c>UseRedisStore</c> overloads that take an <see cref="IConnectionMultiplexer"/>.
    /// </summary>
    public Func<Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>
    /// Put before every key and channel name, so that several applications can share one server.
    /// Default: <c>typedsessions:</c>.
    /// </summary>
    public string KeyPrefix { get; set; } = "typedsessions:";

    /// <summary>
    /// How long an operation waits for the server before it fails with
    /// <see cref="SessionStoreUnavailableException"/>. Default: 5 seconds.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often each server looks for sessions that expired, to clean the user index and run the
    /// session-ended hooks. Default: one minute.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Reads the server's replies on the .NET thread pool (StackExchange.Redis's
    /// <c>SocketManager.ThreadPool</c>) rather than on the client library's own I/O threads, which saves
    /// a thread switch on every round trip: about 1.5 to 1.7 times the session reads per second on the
    /// two-core machine of docs/performance.md. Set it to <see langword="false"/> in an application that
    /// blocks thread-pool threads on asynchronous work (sync over async) under load: dedicated I/O
    /// threads keep replies flowing while the pool is starved. Applies only to a connection the store
    /// opens itself (not to <see cref="ConnectionMultiplexerFactory"/>'s). Default: <see langword="true"/>.
    /// </summary>
    public bool UseThreadPoolForIO { get; set; } = true;
}
