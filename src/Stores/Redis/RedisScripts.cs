namespace TypedSessions.Redis;

/// <summary>
/// The Lua scripts that make a save, a touch and a renew one atomic round trip each.
/// </summary>
/// <remarks>
/// A session is one hash: <c>c</c> (created) and <c>a</c> (last used), Unix milliseconds from the
/// application's clock; <c>n</c>, the session's version counter; and per slot <c>d:key</c> (bytes)
/// and <c>v:key</c> (version). Every script takes now, the idle timeout and the absolute lifetime as
/// its first three arguments, and sets the key's TTL to when the session expires, so Redis drops it
/// on time by itself.
/// Versions are passed as strings and stay below 10^14: Redis turns Lua numbers into strings with 14
/// significant digits, which would round anything larger.
/// </remarks>
internal static class RedisScripts
{
    // Defines `alive(created, last)` and `expire(key, created)` for the scripts below.
    private const string Prelude = """
        local now = tonumber(ARGV[1])
        local idle = tonumber(ARGV[2])
        local absolute = tonumber(ARGV[3])
        local function alive(created, last)
          return created ~= nil and now <= tonumber(last) + idle and now <= created + absolute
        end
        local function expire(key, created)
          redis.call('PEXPIRE', key, math.max(1, math.min(idle, created + absolute - now))) -- 0 would delete the key at once
        end

        """;

    /// <summary>
    /// KEYS: the session. ARGV: now, idle, absolute, slot key, data, expected version, version seed,
    /// and '1' when the save may create the session. Returns the new version, 0 when the expected
    /// version did not match, or -1 when the session does not exist and may not be created.
    /// </summary>
    public const string Save = Prelude + """
        local meta = redis.call('HMGET', KEYS[1], 'c', 'a')
        local created = tonumber(meta[1])
        local create = ARGV[8] == '1'
        if created ~= nil and not alive(created, meta[2]) then
          if not create then return -1 end
          redis.call('DEL', KEYS[1]) -- the ID outlived its session: what is written now starts a new one
          created = nil
        end
        local expected = tonumber(ARGV[6])
        if created == nil then
          if not create then return -1 end
          if expected > 0 then return 0 end
          created = now
          redis.call('HSET', KEYS[1], 'c', ARGV[1], 'n', ARGV[7])
        end
        local current = tonumber(redis.call('HGET', KEYS[1], 'v:' .. ARGV[4]) or '0')
        if expected ~= -1 and expected ~= current then return 0 end
        local version = redis.call('HINCRBY', KEYS[1], 'n', 1)
        redis.call('HSET', KEYS[1], 'd:' .. ARGV[4], ARGV[5], 'v:' .. ARGV[4], version, 'a', ARGV[1])
        expire(KEYS[1], created)
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
        expire(KEYS[2], created)
        return 1
        """;
}
