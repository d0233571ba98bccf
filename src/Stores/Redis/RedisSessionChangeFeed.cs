using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TypedSessions.Stores;

namespace TypedSessions.Redis;

/// <summary>
/// Change notices across servers: every notice is delivered in this process at once and published on
/// one Redis channel (a slot written through <see cref="RedisSessionStore"/> by the save's own script,
/// in the same round trip as the write); every other server delivers what it receives to its own listeners. Live views
/// (Blazor components showing a state) so update when the state changes through another server.
/// </summary>
/// <remarks>
/// A notice carries no data, only which slot of which session changed and its new version (a store ID,
/// never a session ID). Delivery is best effort, as Redis pub/sub is: a notice lost while a server is
/// disconnected means its open views show the old value until their next read.
/// </remarks>
public sealed partial class RedisSessionChangeFeed : ISessionChangeFeed, IDisposable
{
    // Message: origin (16 bytes), store ID (32), version (8, big-endian), then the slot key in UTF-8;
    // no key means the session ended. The store's save script publishes the same message for a write.
    internal const int NoticeHeadSize = 16 + SessionStoreId.SessionIdSize;
    private const int HeaderSize = NoticeHeadSize + 8;

    private readonly InProcessSessionChangeFeed _local = new();
    private readonly RedisConnector _connector;
    private readonly ILogger<RedisSessionChangeFeed> _logger;
    private readonly RedisChannel _channel;
    private readonly Guid _origin;
    private readonly Lock _gate = new();
    private Task<bool>? _subscription;

    internal RedisSessionChangeFeed(RedisConnector connector, ILogger<RedisSessionChangeFeed> logger)
    {
        _connector = connector;
        _logger = logger;
        _origin = connector.Origin;
        _channel = new RedisChannel(connector.ChangeChannel, RedisChannel.PatternMode.Literal);
    }

    /// <summary>How many listeners of this process are subscribed.</summary>
    public int ListenerCount => _local.ListenerCount;

    /// <summary>Subscribes to the other servers' notices now rather than with the first listener.</summary>
    /// <exception cref="SessionStoreUnavailableException">Redis could not be reached.</exception>
    public async Task StartAsync()
    {
        if (!await EnsureSubscribedAsync().ConfigureAwait(false))
        {
            throw new SessionStoreUnavailableException("Could not subscribe to session change notices on Redis.");
        }
    }

    /// <inheritdoc />
    public void Publish(SessionChange change)
    {
        _local.Publish(change);

        // A slot written through the Redis store was published by the save's own script (RedisScripts.Save).
        if (change is { Key: { } key, Version: > 0 } && _connector.IsPublishedBySave(key))
        {
            return;
        }

        _ = PublishToServerAsync(change);
    }

    /// <inheritdoc />
    public IDisposable Subscribe(SessionStoreId session, Action<SessionChange> listener)
    {
        _ = EnsureSubscribedAsync();
        return _local.Subscribe(session, listener);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Task<bool>? subscription;
        lock (_gate)
        {
            subscription = _subscription;
        }

        if (subscription is { IsCompletedSuccessfully: true, Result: true })
        {
            _connector.GetSubscriberAsync().GetAwaiter().GetResult().Unsubscribe(_channel);
        }
    }

    // Once per process; a failed attempt (Redis down at the first listener) is tried again by the next
    // listener. Once subscribed, the client library renews the subscription after every reconnect.
    private Task<bool> EnsureSubscribedAsync()
    {
        lock (_gate)
        {
            if (_subscription is null || _subscription is { IsCompleted: true, Result: false })
            {
                _subscription = SubscribeToServerAsync();
            }

            return _subscription;
        }
    }

    private async Task<bool> SubscribeToServerAsync()
    {
        try
        {
            var subscriber = await _connector.GetSubscriberAsync().ConfigureAwait(false);
            await subscriber.SubscribeAsync(_channel, (_, message) => Receive(message)).WaitAsync(_connector.Options.OperationTimeout).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogSubscribeFailed(_logger, e);
            return false;
        }
    }

    private async Task PublishToServerAsync(SessionChange change)
    {
        try
        {
            var subscriber = await _connector.GetSubscriberAsync().ConfigureAwait(false);
            await subscriber.PublishAsync(_channel, Encode(change)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // StackExchange.Redis 2.x reports a timeout as RedisTimeoutException, a TimeoutException and not
            // a RedisException: uncaught, it would go unobserved in this fire-and-forget task, unlogged.
            LogPublishFailed(_logger, e);
        }
    }

    private void Receive(RedisValue message)
    {
        byte[]? bytes = message;
        if (bytes is null || bytes.Length < HeaderSize)
        {
            return;
        }

        if (new Guid(bytes.AsSpan(0, 16)) == _origin)
        {
            return; // our own notice, already delivered here
        }

        var session = SessionStoreId.FromHash(bytes.AsSpan(16, SessionStoreId.SessionIdSize));
        var version = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(16 + SessionStoreId.SessionIdSize));
        var key = bytes.Length == HeaderSize ? null : Encoding.UTF8.GetString(bytes, HeaderSize, bytes.Length - HeaderSize);
        try
        {
            _local.Publish(new SessionChange(session, key, version));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A listener's failure must not end the subscription's delivery loop.
            LogDeliveryFailed(_logger, e);
        }
    }

    private byte[] Encode(SessionChange change)
    {
        var key = change.Key is null ? 0 : Encoding.UTF8.GetByteCount(change.Key);
        var bytes = new byte[HeaderSize + key];
        _origin.TryWriteBytes(bytes);
        change.Session.WriteTo(bytes.AsSpan(16));
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(16 + SessionStoreId.SessionIdSize), change.Version);
        if (change.Key is not null)
        {
            Encoding.UTF8.GetBytes(change.Key, bytes.AsSpan(HeaderSize));
        }

        return bytes;
    }

    [LoggerMessage(1, LogLevel.Warning, "A session change notice could not be published to Redis; other servers' live views miss it.", EventName = "RedisNoticeNotPublished")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Error, "Could not subscribe to session change notices on Redis; live views will not see changes made through other servers.", EventName = "RedisNoticeSubscribeFailed")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(3, LogLevel.Error, "A listener failed while handling a session change notice from another server.", EventName = "RedisNoticeDeliveryFailed")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception);
}
