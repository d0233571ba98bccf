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
}
