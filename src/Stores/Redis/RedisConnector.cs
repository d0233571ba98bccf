using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace TypedSessions.Redis;

/// <summary>
/// The one connection (a multiplexer) that the store and the change feed share, opened on first use.
/// </summary>
/// <remarks>
/// Connecting does not fail when the server is down (<c>abortConnect=false</c>): the application starts,
/// the multiplexer keeps reconnecting, and each operation meanwhile fails with a typed error.
/// </remarks>
internal sealed class RedisConnector : IDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection;

    public RedisConnector(IOptions<RedisSessionStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        var configuration = ConfigurationOptions.Parse(Options.Configuration);
        configuration.AbortOnConnectFail = false;
        var timeout = (int)Options.OperationTimeout.TotalMilliseconds;
        configuration.ConnectTimeout = timeout;
        configuration.SyncTimeout = timeout;
        _connection = new(() => ConnectionMultiplexer.ConnectAsync(configuration));
    }

    public RedisSessionStoreOptions Options { get; }

    public async Task<IDatabase> GetDatabaseAsync() => (await _connection.Value.ConfigureAwait(false)).GetDatabase();

    public async Task<ISubscriber> GetSubscriberAsync() => (await _connection.Value.ConfigureAwait(false)).GetSubscriber();

    public void Dispose()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            _connection.Value.Result.Dispose();
        }
    }
}
