using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TypedSessions.Stores;

namespace TypedSessions.Redis;

/// <summary>
/// Sessions in Redis, shared by every server of a web farm. Each call is one round trip: a load is one
/// <c>HMGET</c>, a save, a touch and a renew one Lua script each (<see cref="RedisScripts"/>), so the
/// compare-and-set on a slot's version is atomic on the server. Expiry is enforced on every call and
/// backed by the key's TTL, so an abandoned session leaves nothing behind.
/// </summary>
/// <remarks>
/// Built on StackExchange.Redis 2.x. A renew touches two keys,
/// so a Redis Cluster is not supported (a single server, or a primary with replicas, is).
/// </remarks>
public sealed class RedisSessionStore : ISessionStore
{
    private readonly RedisConnector _connector;
    private readonly SessionLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly string _sessionPrefix;

    internal RedisSessionStore(RedisConnector connector, IOptions<TypedSessionsOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connector = connector;
        _lifetime = SessionLifetime.From(options.Value);
        _time = time;
        _sessionPrefix = connector.Options.KeyPrefix + "s:";
    }

    /// <inheritdoc />
    public async ValueTask<SessionLoadResult> LoadAsync(SessionStoreId session, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var fields = new RedisValue[2 + (2 * keys.Count)];
        fields[0] = "c";
        fields[1] = "a";
        for (var i = 0; i < keys.Count; i++)
        {
            fields[2 + (2 * i)] = "d:" + keys[i];
            fields[3 + (2 * i)] = "v:" + keys[i];
        }

        var values = await RunAsync("load", db => db.HashGetAsync(Key(session), fields), cancellationToken).ConfigureAwait(false);
        if (values[0].IsNull || _lifetime.IsExpired((long)values[0], (long)values[1], Now()))
        {
            return SessionLoadResult.Missing(keys.Count);
        }

        var slots = new StoredSlot?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            var data = values[2 + (2 * i)];
            if (!data.IsNull)
            {
                slots[i] = new StoredSlot((byte[])data!, (long)values[3 + (2 * i)]);
            }
        }

        return new SessionLoadResult(true, DateTimeOffset.FromUnixTimeMilliseconds((long)values[1]), slots);
    }

    /// <inheritdoc />
    public async ValueTask<SlotSaveResult> SaveAsync(SessionStoreId session, string key, ReadOnlyMemory<byte> data, long expectedVersion, bool createSession, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = Now();

        // A new session's versions start from the clock rather than 0, so a session destroyed and written
        // again under the same ID never repeats a version a stale writer may hold.
        var arguments = Arguments(now, key, data.ToArray(), expectedVersion.ToString(CultureInfo.InvariantCulture), now.ToString(CultureInfo.InvariantCulture), createSession ? "1" : "0");
        var version = (long)await RunAsync("save", db => db.ScriptEvaluateAsync(RedisScripts.Save, [Key(session)], arguments), cancellationToken).ConfigureAwait(false);
        return version switch
        {
            > 0 => new SlotSaveResult(true, version),
            0 => SlotSaveResult.Conflict,
            _ => SlotSaveResult.SessionMissing,
        };
    }

    /// <inheritdoc />
    public async ValueTask RemoveAsync(SessionStoreId session, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await RunAsync("remove a slot", db => db.HashDeleteAsync(Key(session), ["d:" + key, "v:" + key]), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DestroyAsync(SessionStoreId session, CancellationToken cancellationToken) =>
        await RunAsync("destroy a session", db => db.KeyDeleteAsync(Key(session)), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<bool> RenewAsync(SessionStoreId from, SessionStoreId to, CancellationToken cancellationToken)
    {
        var arguments = Arguments(Now());
        var moved = await RunAsync("renew a session", db => db.ScriptEvaluateAsync(RedisScripts.Renew, [Key(from), Key(to)], arguments), cancellationToken).ConfigureAwait(false);
        return (long)moved == 1;
    }

    /// <inheritdoc />
    public async ValueTask TouchAsync(SessionStoreId session, CancellationToken cancellationToken)
    {
        var arguments = Arguments(Now());
        await RunAsync("refresh the idle time", db => db.ScriptEvaluateAsync(RedisScripts.Touch, [Key(session)], arguments), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The Redis key of a session (for operators and tests): the prefix, <c>s:</c> and the store ID.</summary>
    public RedisKey Key(SessionStoreId session) => _sessionPrefix + session.ToString();

    private RedisValue[] Arguments(long now, params RedisValue[] more) =>
        [now, _lifetime.IdleMilliseconds, _lifetime.AbsoluteMilliseconds, .. more];

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    // Every failure of the server or the connection, and every wait past the timeout, becomes the
    // runtime's typed "store unavailable" error. The timeout is applied here rather than left to the
    // client library, whose async timeouts differ between versions.
    private async Task<T> RunAsync<T>(string operation, Func<IDatabase, Task<T>> command, CancellationToken cancellationToken)
    {
        var timeout = _connector.Options.OperationTimeout;
        try
        {
            var db = await _connector.GetDatabaseAsync().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return await command(db).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new SessionStoreUnavailableException($"The Redis session store did not {operation} within {timeout.TotalSeconds:0.#} s.", e);
        }
        catch (RedisException e)
        {
            throw new SessionStoreUnavailableException($"The Redis session store failed to {operation}: {e.Message}", e);
        }
    }
}
