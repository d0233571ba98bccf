using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace TypedSessions.Redis;

/// <summary>
/// The one connection (a multiplexer) that the store and the change feed share: the application's own
/// (<see cref="RedisSessionStoreOptions.ConnectionMultiplexerFactory"/>), or one opened on first use
/// from <see cref="RedisSessionStoreOptions.Configuration"/>.
/// </summary>
/// <remarks>
/// A connection opened here does not fail when the server is down (<c>abortConnect=false</c>): the
/// application starts, the multiplexer keeps reconnecting, and each operation meanwhile fails at once
/// with a typed error (<see cref="BacklogPolicy.FailFast"/>: StackExchange.Redis 2.x would otherwise
/// hold commands in a backlog until the timeout, so that every request of an outage waited for it). Only a connection opened here is disposed here; the application's own stays its own.
/// </remarks>
internal sealed class RedisConnector : IDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;
    private readonly bool _owned;

    public RedisConnector(IOptions<RedisSessionStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        if (Options.ConnectionMultiplexerFactory is { } factory)
        {
            _connection = new(factory);
            return;
        }

        var configuration = ConfigurationOptions.Parse(Options.Configuration);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        if (Options.UseThreadPoolForIO)
        {
            configuration.SocketManager = SocketManager.ThreadPool;
        }

        var timeout = (int)Options.OperationTimeout.TotalMilliseconds;
        configuration.ConnectTimeout = timeout;
        configuration.SyncTimeout = timeout;
        configuration.AsyncTimeout = timeout;
        _connection = new(async () => await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false));
        _owned = true;
    }

    public RedisSessionStoreOptions Options { get; }

    /// <summary>This process's mark on the change notices it publishes, so that it skips its own when they come back.</summary>
    public Guid Origin { get; } = Guid.NewGuid();

    /// <summary>The channel of the change notices.</summary>
    public string ChangeChannel => Options.KeyPrefix + "changes";

    // The slot keys the store's save script has written: it publishes their change notices itself, in
    // the same round trip as the write, so the change feed must not publish them a second time. A set
    // of state keys, as many as the application has states in Redis.
    private readonly ConcurrentDictionary<string, byte> _keysPublishedBySave = new(StringComparer.Ordinal);

    public void SavePublished(string key) => _keysPublishedBySave.TryAdd(key, 0);

    public bool IsPublishedBySave(string key) => _keysPublishedBySave.ContainsKey(key);

    public async Task<IDatabase> GetDatabaseAsync() => (await _connection.Value.ConfigureAwait(false)).GetDatabase();

    public async Task<ISubscriber> GetSubscriberAsync() => (await _connection.Value.ConfigureAwait(false)).GetSubscriber();

    public void Dispose()
    {
        if (_owned && _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            _connection.Value.Result.Dispose();
        }
    }
}
