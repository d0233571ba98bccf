using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using TypedSessions.Stores;

namespace TypedSessions.Redis;

/// <summary>
/// Sessions in Redis, shared by every server of a web farm. Each call is one round trip: a load is one
/// <c>HMGET</c>, a save, a touch and a renew one Lua script each (<see cref="RedisScripts"/>), so the
/// compare-and-set on a slot's version is atomic on the server; a save's script also publishes the
/// slot's change notice for <see cref="RedisSessionChangeFeed"/>. Expiry is enforced on every call and
/// backed by the key's TTL, so an abandoned session leaves nothing behind.
/// </summary>
/// <remarks>
/// Built on StackExchange.Redis 2.x. A renew touches two keys,
/// so a Redis Cluster is not supported (a single server, or a primary with replicas, is).
/// </remarks>
public sealed partial class RedisSessionStore : ISessionStore, ISessionUserStore, IRoundTripSessionStore, IDisposable
{
    private const int SweepBatch = 500;

    private readonly RedisConnector _connector;
    private readonly SessionLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly string _prefix;
    private readonly string _sessionPrefix;
    private readonly RedisValue _changeChannel;
    private readonly ISessionEndedSink? _ended;
    private readonly ILogger _logger;
    private readonly ITimer _sweeper;
    private int _sweeping;

    internal RedisSessionStore(RedisConnector connector, IOptions<TypedSessionsOptions> options, TimeProvider time, ISessionEndedSink? ended = null, ILogger<RedisSessionStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connector = connector;
        _lifetime = SessionLifetime.From(options.Value);
        _time = time;
        _prefix = connector.Options.KeyPrefix;
        _sessionPrefix = _prefix + "s:";
        _changeChannel = connector.ChangeChannel;
        _ended = ended;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var every = connector.Options.SweepInterval;
        _sweeper = time.CreateTimer(static s => ((RedisSessionStore)s!).StartSweep(), this, every, every);
    }

    /// <inheritdoc />
    public async ValueTask<SessionLoadResult> LoadAsync(SessionStoreId session, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var fields = new RedisValue[3 + (2 * keys.Count)];
        fields[0] = "c";
        fields[1] = "a";
        fields[2] = "u";
        for (var i = 0; i < keys.Count; i++)
        {
            fields[3 + (2 * i)] = "d:" + keys[i];
            fields[4 + (2 * i)] = "v:" + keys[i];
        }

        var values = await RunAsync("load", db => db.HashGetAsync(Key(session), fields), cancellationToken).ConfigureAwait(false);
        var now = Now();
        if (values[0].IsNull || _lifetime.IsExpired((long)values[0], (long)values[1], now))
        {
            // Missing: one more round trip (rare) to tell a sign-in racing this request from an expired ID.
            var renewed = await RunAsync("load", db => db.StringGetAsync((RedisKey)(_prefix + "r:" + session.ToString())), cancellationToken).ConfigureAwait(false);
            return SessionLoadResult.Missing(keys.Count) with { RenewedAway = !renewed.IsNull && (long)renewed >= now };
        }

        var slots = new StoredSlot?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            var data = values[3 + (2 * i)];
            if (!data.IsNull)
            {
                slots[i] = new StoredSlot((byte[])data!, (long)values[4 + (2 * i)]);
            }
        }

        return new SessionLoadResult(true, DateTimeOffset.FromUnixTimeMilliseconds((long)values[1]), slots) { UserKey = values[2].IsNull ? null : (string?)values[2] };
    }

    /// <inheritdoc />
    public async ValueTask<SlotSaveResult> SaveAsync(SessionStoreId session, string key, ReadOnlyMemory<byte> data, long expectedVersion, bool createSession, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = Now();

        // A new session's versions start from the clock rather than 0, so a session destroyed and written
        // again under the same ID never repeats a version a stale writer may hold.
        // The script publishes the change notice itself (RedisSessionChangeFeed's format): its head is
        // this process's origin and the store ID; the script adds the new version and the key.
        var noticeHead = new byte[RedisSessionChangeFeed.NoticeHeadSize];
        _connector.Origin.TryWriteBytes(noticeHead);
        session.WriteTo(noticeHead.AsSpan(16));
        var arguments = Arguments(now, key, data, expectedVersion.ToString(CultureInfo.InvariantCulture), now.ToString(CultureInfo.InvariantCulture), createSession ? "1" : "0", _changeChannel, noticeHead);
        var version = (long)await RunAsync("save", db => db.ScriptEvaluateAsync(RedisScripts.Save, [Key(session)], arguments), cancellationToken).ConfigureAwait(false);
        if (version > 0)
        {
            _connector.SavePublished(key);
        }

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
        await RunAsync("destroy a session", db => db.ScriptEvaluateAsync(RedisScripts.Destroy, [Key(session)]), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<bool> SetUserAsync(SessionStoreId session, string userKey, string? device, bool createSession, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userKey);
        var now = Now();
        var arguments = Arguments(now, userKey, device ?? "", createSession ? "1" : "0", now.ToString(CultureInfo.InvariantCulture));
        var tied = await RunAsync("sign in", db => db.ScriptEvaluateAsync(RedisScripts.SetUser, [Key(session)], arguments), cancellationToken).ConfigureAwait(false);
        return (long)tied == 1;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredSessionInfo>> GetUserSessionsAsync(string userKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userKey);
        var arguments = Arguments(Now(), _prefix, userKey);
        var found = (RedisResult[])(await RunAsync("list a user's sessions", db => db.ScriptEvaluateAsync(RedisScripts.UserSessions, [(RedisKey)(_prefix + "u:" + userKey)], arguments), cancellationToken).ConfigureAwait(false))!;
        var sessions = new List<StoredSessionInfo>(found.Length / 4);
        for (var i = 0; i + 3 < found.Length; i += 4)
        {
            if (TryParseId((string?)found[i], out var id))
            {
                var device = (string?)found[i + 3];
                sessions.Add(new StoredSessionInfo(
                    id,
                    userKey,
                    DateTimeOffset.FromUnixTimeMilliseconds(long.Parse((string)found[i + 1]!, CultureInfo.InvariantCulture)),
                    DateTimeOffset.FromUnixTimeMilliseconds(long.Parse((string)found[i + 2]!, CultureInfo.InvariantCulture)),
                    string.IsNullOrEmpty(device) ? null : device));
            }
        }

        return sessions;
    }

    /// <summary>
    /// Finds sessions that expired since the last sweep, cleans their user index and reports each to the
    /// session-ended hooks; returns how many. Runs on a timer (<see cref="RedisSessionStoreOptions.SweepInterval"/>)
    /// on every server; each expired session is claimed by one server, so reported at most once.
    /// </summary>
    public async Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        int claimed;
        do
        {
            var arguments = Arguments(Now(), _prefix, SweepBatch);
            var ended = (RedisResult[])(await RunAsync("sweep expired sessions", db => db.ScriptEvaluateAsync(RedisScripts.Sweep, [(RedisKey)(_prefix + "x")], arguments), cancellationToken).ConfigureAwait(false))!;
            for (var i = 0; i + 1 < ended.Length; i += 2)
            {
                if (TryParseId((string?)ended[i], out var id))
                {
                    var user = (string?)ended[i + 1];
                    _ended?.SessionEnded(id, string.IsNullOrEmpty(user) ? null : user, SessionEndReason.Expired);
                }
            }

            claimed = ended.Length / 2;
            total += claimed;
        }
        while (claimed == SweepBatch);

        return total;
    }

    /// <inheritdoc />
    public void Dispose() => _sweeper.Dispose();

    private void StartSweep()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await SweepExpiredAsync().ConfigureAwait(false);
            }
            catch (SessionStoreUnavailableException e)
            {
                LogSweepFailed(_logger, e);
            }
            finally
            {
                Volatile.Write(ref _sweeping, 0);
            }
        });
    }

    private static bool TryParseId(string? text, out SessionStoreId id)
    {
        id = default;
        if (text is null || !System.Buffers.Text.Base64Url.IsValid(text, out var length) || length != SessionStoreId.SessionIdSize)
        {
            return false;
        }

        id = SessionStoreId.FromHash(System.Buffers.Text.Base64Url.DecodeFromChars(text));
        return true;
    }

    [LoggerMessage(1, LogLevel.Warning, "The Redis session store could not sweep expired sessions; it tries again at its next interval.", EventName = "RedisSweepFailed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

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
