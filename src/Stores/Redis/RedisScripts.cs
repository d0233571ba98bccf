namespace TypedSessions.Redis;

/// <summary>
/// The Lua scripts that make a save, a touch and a renew one atomic round trip each.
/// </summary>
/// <remarks>
/// A session is one hash, <c>{prefix}s:{id}</c>: <c>c</c> (created) and <c>a</c> (last used), Unix
/// milliseconds from the application's clock; <c>n</c>, the session's version counter; <c>u</c> and
/// <c>dv</c>, the user it is signed in as and its device label; and per slot <c>d:key</c> (bytes) and
/// <c>v:key</c> (version). Every script takes now, the idle timeout and the absolute lifetime as its
/// first three arguments, and sets the key's TTL to when the session expires, so Redis drops it on
/// time by itself.
/// Beside the sessions: <c>{prefix}x</c>, a sorted set of every session, scored no later than when it
/// expires (the sweep finds expired ones there, for the session-ended hooks; a save or a touch does not
/// move the score, the sweep does when it finds the session still alive); <c>{prefix}r:{id}</c>, an ID renewed away in
/// the last minute (until when, by the application's clock); <c>{prefix}u:{user}</c>, the set of a
/// user's sessions; and <c>{prefix}su</c>, a hash from session to user, which outlives an expired
/// session long enough for the sweep to clean its user's set. Scripts find these keys from the
/// session key's prefix (a single server, not a cluster).
/// Versions are passed as strings and stay below 10^14: Redis turns Lua numbers into strings with 14
/// significant digits, which would round anything larger.
/// </remarks>
internal static class RedisScripts
{
    // Defines `alive`, `expire`, `track`, `unindex` and `index` for the scripts below.
    private const string Prelude = """
        local now = tonumber(ARGV[1])
        local idle = tonumber(ARGV[2])
        local absolute = tonumber(ARGV[3])
        local function alive(created, last)
          return created ~= nil and now <= tonumber(last) + idle and now <= created + absolute
        end
        -- Sets the key's TTL to when the session expires; returns that TTL.
        local function expire(key, created)
          local ttl = math.max(1, math.min(idle, created + absolute - now)) -- 0 would delete the key at once
          redis.call('PEXPIRE', key, ttl)
          return ttl
        end
        -- Enters a session in the expiry set at its expiry. Only where a session appears (created or
        -- renewed): a later save or touch moves the expiry later without telling the set, and the sweep
        -- puts a session it finds still alive back at its new expiry. A score that is early costs the
        -- sweep one look; it never ends a live session.
        local function track(key, ttl)
          local prefix, id = string.match(key, '^(.*)s:([^:]+)$')
          redis.call('ZADD', prefix .. 'x', now + ttl, id)
        end
        -- Takes a session out of the expiry set and its user's index (destroyed, renewed away or expired).
        local function unindex(key)
          local prefix, id = string.match(key, '^(.*)s:([^:]+)$')
          redis.call('ZREM', prefix .. 'x', id)
          local user = redis.call('HGET', prefix .. 'su', id)
          if user then
            redis.call('SREM', prefix .. 'u:' .. user, id)
            redis.call('HDEL', prefix .. 'su', id)
          end
          return user
        end
        local function index(key, user)
          local prefix, id = string.match(key, '^(.*)s:([^:]+)$')
          redis.call('SADD', prefix .. 'u:' .. user, id)
          redis.call('HSET', prefix .. 'su', id, user)
        end

        """;

    /// <summary>
    /// KEYS: the session. ARGV: now, idle, absolute, slot key, data, expected version, version seed,
    /// '1' when the save may create the session, the change channel and the change notice's head (the
    /// origin and the store ID, <see cref="RedisSessionChangeFeed"/>'s format). Returns the new version,
    /// 0 when the expected version did not match, or -1 when the session does not exist and may not be
    /// created. A write publishes its change notice (head, version, slot key) on the channel, so that
    /// a save and its notice are one round trip and no notice is lost between them.
    /// </summary>
    public const string Save = Prelude + """
        local slot = ARGV[4]
        local meta = redis.call('HMGET', KEYS[1], 'c', 'a', 'n', 'v:' .. slot)
        local created = tonumber(meta[1])
        local create = ARGV[8] == '1'
        if created ~= nil and not alive(created, meta[2]) then
          if not create then return -1 end
          redis.call('DEL', KEYS[1]) -- the ID outlived its session: what is written now starts a new one
          unindex(KEYS[1])
          created = nil
        end
        local expected = tonumber(ARGV[6])
        local version
        if created == nil then
          if not create then return -1 end
          if expected > 0 then return 0 end
          created = now
          version = tonumber(ARGV[7]) + 1
          redis.call('HSET', KEYS[1], 'c', ARGV[1], 'n', version, 'd:' .. slot, ARGV[5], 'v:' .. slot, version, 'a', ARGV[1])
          track(KEYS[1], expire(KEYS[1], created))
        else
          if expected ~= -1 and expected ~= tonumber(meta[4] or '0') then return 0 end
          version = tonumber(meta[3] or ARGV[7]) + 1
          redis.call('HSET', KEYS[1], 'n', version, 'd:' .. slot, ARGV[5], 'v:' .. slot, version, 'a', ARGV[1])
          expire(KEYS[1], created)
        end
        redis.call('PUBLISH', ARGV[9], ARGV[10] .. struct.pack('>l', version) .. slot) -- the version as 8 bytes, big-endian
        return version
        """;

    /// <summary>KEYS: the session. ARGV: now, idle, absolute. Returns 1 when the session was alive.</summary>
    public const string Touch = Prelude + """
        local meta = redis.call('HMGET', KEYS[1], 'c', 'a')
        local created = tonumber(meta[1])
        if not alive(created, meta[2]) then return 0 end
        redis.call('HSET', KEYS[1], 'a', ARGV[1])
        expire(KEYS[1], created)
        return 1
        """;

    /// <summary>
    /// KEYS: the old session, the new one. ARGV: now, idle, absolute. Returns 1 when the session moved,
    /// 0 when the old one is gone or the new one is taken.
    /// </summary>
    public const string Renew = Prelude + """
        local meta = redis.call('HMGET', KEYS[1], 'c', 'a')
        local created = tonumber(meta[1])
        if not alive(created, meta[2]) or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
        redis.call('RENAME', KEYS[1], KEYS[2])
        redis.call('HSET', KEYS[2], 'a', ARGV[1])
        -- The old ID is remembered as renewed away for a minute (SessionLoadResult.RenewedAway).
        local prefix, oldId = string.match(KEYS[1], '^(.*)s:([^:]+)$')
        redis.call('SET', prefix .. 'r:' .. oldId, now + 60000, 'PX', 60000)
        local user = unindex(KEYS[1])
        if user then index(KEYS[2], user) end
        track(KEYS[2], expire(KEYS[2], created))
        return 1
        """;

    /// <summary>KEYS: the session. Deletes it and takes it out of the indexes.</summary>
    public const string Destroy = Prelude + """
        redis.call('DEL', KEYS[1])
        unindex(KEYS[1])
        return 1
        """;

    /// <summary>
    /// KEYS: the session. ARGV: now, idle, absolute, user, device ('' for none), '1' when the call may
    /// create the session, version seed. Ties the session to the user; returns 1, or 0 when the session
    /// does not exist and may not be created.
    /// </summary>
    public const string SetUser = Prelude + """
        local meta = redis.call('HMGET', KEYS[1], 'c', 'a')
        local created = tonumber(meta[1])
        local create = ARGV[6] == '1'
        if created ~= nil and not alive(created, meta[2]) then
          if not create then return 0 end
          redis.call('DEL', KEYS[1])
          created = nil
        end
        if created == nil then
          if not create then return 0 end
          created = now
          redis.call('HSET', KEYS[1], 'c', ARGV[1], 'n', ARGV[7])
        end
        unindex(KEYS[1]) -- also takes it out of the expiry set
        redis.call('HSET', KEYS[1], 'u', ARGV[4], 'dv', ARGV[5], 'a', ARGV[1])
        index(KEYS[1], ARGV[4])
        track(KEYS[1], expire(KEYS[1], created))
        return 1
        """;

    /// <summary>
    /// KEYS: the user's set. ARGV: now, idle, absolute, the session key prefix, the user. Returns the live
    /// sessions as flat (id, created, last used, device) quadruples, and drops ended ones from the set.
    /// </summary>
    public const string UserSessions = Prelude + """
        local found = {}
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          local meta = redis.call('HMGET', ARGV[4] .. 's:' .. id, 'c', 'a', 'u', 'dv')
          local created = tonumber(meta[1])
          if alive(created, meta[2]) and meta[3] == ARGV[5] then
            table.insert(found, id)
            table.insert(found, meta[1])
            table.insert(found, meta[2])
            table.insert(found, meta[4] or '')
          elseif created == nil or meta[3] ~= ARGV[5] then
            redis.call('SREM', KEYS[1], id)
          end
        end
        return found
        """;

    /// <summary>
    /// KEYS: the expiry set. ARGV: now, idle, absolute, the session key prefix, the most to take. Claims
    /// the sessions whose expiry has passed by the application's clock (each is claimed by one server's
    /// sweep, the one whose removal from the set succeeds), deletes what is left of them, cleans their
    /// user index, and returns flat (id, user or '') pairs. A session used meanwhile is put back with its
    /// new expiry.
    /// </summary>
    public const string Sweep = Prelude + """
        local ended = {}
        for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[5]))) do
          local key = ARGV[4] .. 's:' .. id
          local meta = redis.call('HMGET', key, 'c', 'a')
          local created = tonumber(meta[1])
          if alive(created, meta[2]) then
            redis.call('ZADD', KEYS[1], math.min(tonumber(meta[2]) + idle, created + absolute), id)
          elseif redis.call('ZREM', KEYS[1], id) == 1 then
            redis.call('DEL', key)
            local user = unindex(key)
            table.insert(ended, id)
            table.insert(ended, user or '')
          end
        end
        return ended
        """;
}
