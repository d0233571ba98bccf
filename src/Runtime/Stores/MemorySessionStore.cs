using System.Diagnostics.Metrics;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TypedSessions.Stores;

/// <summary>
/// The default store: sessions in this process's memory, lost on restart and not shared between
/// servers. Bounded by <see cref="MemorySessionStoreOptions"/>: when full, expired sessions go
/// first, then the least recently used of the sessions used by a single request, then of those that
/// came back, and only then of the signed-in ones.
/// </summary>
/// <remarks>
/// Each session has a standing: one-shot (only its first request wrote it), returning (a load found it
/// again), signed in (renewed or tied to a user). Eviction takes the lowest standing first, least
/// recently used first within it. A flood of sessions that never sign in, however large and however
/// often they come back, therefore cannot evict a signed-in session; a flood of sign-ins is the
/// application's to limit (sign-ins need credentials; rate-limit them).
/// </remarks>
public sealed partial class MemorySessionStore : ISessionStore, ISessionUserStore, IDisposable
{
    private readonly ConcurrentDictionary<SessionStoreId, Entry> _sessions = new();

    // The user → sessions index: a set per signed-in user, changed under its own lock.
    private readonly Dictionary<string, HashSet<SessionStoreId>> _users = new(StringComparer.Ordinal);
    private readonly Lock _usersGate = new();
    private readonly ISessionEndedSink? _ended;

    // IDs renewed away in the last minute (SessionLoadResult.RenewedAway), with when they are forgotten.
    private readonly ConcurrentDictionary<SessionStoreId, long> _renewedAway = new();
    private readonly TimeProvider _time;
    private readonly SessionLifetime _lifetime;
    private readonly MemorySessionStoreOptions _limits;
    private readonly ILogger<MemorySessionStore> _logger;
    private readonly ITimer _sweeper;
    private long _lastVersion;
    private long _bytes;
    private int _count;
    private int _evicting;

    /// <summary>
    /// Creates the store; <paramref name="ended"/> is told of the sessions it expires and evicts, and
    /// <paramref name="meters"/> gets its size gauges.
    /// </summary>
    public MemorySessionStore(
        IOptions<TypedSessionsOptions> options,
        IOptions<MemorySessionStoreOptions> limits,
        TimeProvider time,
        ILogger<MemorySessionStore> logger,
        ISessionEndedSink? ended = null,
        IMeterFactory? meters = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ended = ended;
        ArgumentNullException.ThrowIfNull(limits);
        _time = time;
        _logger = logger;
        _lifetime = SessionLifetime.From(options.Value);
        _limits = limits.Value;
        if (meters is not null)
        {
            var meter = meters.Create("TypedSessions"); // the runtime's meter (Diagnostics/SessionMetrics)
            meter.CreateObservableGauge("typedsessions.memory.sessions", () => Count, "{session}", "Sessions held by the memory store.");
            meter.CreateObservableGauge("typedsessions.memory.bytes", () => PayloadBytes, "By", "Payload bytes held by the memory store.");
        }

        _sweeper = time.CreateTimer(static s => ((MemorySessionStore)s!).SweepExpired(), this, _limits.SweepInterval, _limits.SweepInterval);
    }

    /// <summary>How many sessions are held.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>How many payload bytes are held.</summary>
    public long PayloadBytes => Interlocked.Read(ref _bytes);

    /// <inheritdoc />
    public ValueTask<SessionLoadResult> LoadAsync(SessionStoreId session, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (!_sessions.TryGetValue(session, out var entry))
        {
            return ValueTask.FromResult(_renewedAway.TryGetValue(session, out var until) && until >= Now()
                ? SessionLoadResult.Missing(keys.Count) with { RenewedAway = true }
                : SessionLoadResult.Missing(keys.Count));
        }

        var now = Now();
        lock (entry)
        {
            if (entry.Removed || IsExpired(entry, now))
            {
                Remove(session, entry, SessionEndReason.Expired);
                return ValueTask.FromResult(SessionLoadResult.Missing(keys.Count));
            }

            entry.Standing = Math.Max(entry.Standing, Returning);
            var slots = new StoredSlot?[keys.Count];
            for (var i = 0; i < slots.Length; i++)
            {
                var index = entry.IndexOf(keys[i]);
                if (index >= 0)
                {
                    var slot = entry.SlotAt(index);
                    slots[i] = new StoredSlot(slot.Data, slot.Version);
                }
            }

            return ValueTask.FromResult(new SessionLoadResult(true, DateTimeOffset.FromUnixTimeMilliseconds(entry.LastAccess), slots) { UserKey = entry.UserKey });
        }
    }

    /// <inheritdoc />
    public ValueTask<SlotSaveResult> SaveAsync(SessionStoreId session, string key, ReadOnlyMemory<byte> data, long expectedVersion, bool createSession, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = Now();
        while (true)
        {
            var created = false;
            if (!_sessions.TryGetValue(session, out var entry))
            {
                if (!createSession)
                {
                    return ValueTask.FromResult(SlotSaveResult.SessionMissing);
                }

                if (expectedVersion > 0)
                {
                    return ValueTask.FromResult(SlotSaveResult.Conflict);
                }

                entry = new Entry(now);
                if (!_sessions.TryAdd(session, entry))
                {
                    continue;
                }

                Interlocked.Increment(ref _count);
                created = true;
            }

            SlotSaveResult result;
            lock (entry)
            {
                if (entry.Removed)
                {
                    if (!createSession)
                    {
                        return ValueTask.FromResult(SlotSaveResult.SessionMissing); // destroyed, renewed or evicted meanwhile
                    }

                    continue; // a new ID's entry replaced meanwhile: start over
                }

                if (IsExpired(entry, now))
                {
                    if (!createSession)
                    {
                        return ValueTask.FromResult(SlotSaveResult.SessionMissing);
                    }

                    // The ID outlived its session: what is written now starts a new one.
                    Interlocked.Add(ref _bytes, -entry.PayloadBytes);
                    entry.ClearSlots();
                    entry.CreatedAt = now;
                }

                var index = entry.IndexOf(key);
                var current = index < 0 ? StoredSlot.Absent : entry.SlotAt(index).Version;
                if (expectedVersion != StoredSlot.AnyVersion && expectedVersion != current)
                {
                    return ValueTask.FromResult(SlotSaveResult.Conflict);
                }

                // Versions come from one store-wide counter, so a slot removed and written again
                // never repeats a version a stale writer might still hold.
                var slot = new Slot(key, data.ToArray(), Interlocked.Increment(ref _lastVersion));
                if (index < 0)
                {
                    entry.AddSlot(slot);
                    Interlocked.Add(ref _bytes, slot.Data.Length);
                }
                else
                {
                    Interlocked.Add(ref _bytes, slot.Data.Length - entry.SlotAt(index).Data.Length);
                    entry.SetSlot(index, slot);
                }

                entry.LastAccess = now;
                result = new SlotSaveResult(true, slot.Version);
            }

            if (created || Interlocked.Read(ref _bytes) > _limits.MaxBytes)
            {
                EvictIfFull();
            }

            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(SessionStoreId session, string key, CancellationToken cancellationToken)
    {
        if (_sessions.TryGetValue(session, out var entry))
        {
            lock (entry)
            {
                var index = entry.IndexOf(key);
                if (!entry.Removed && index >= 0)
                {
                    Interlocked.Add(ref _bytes, -entry.SlotAt(index).Data.Length);
                    entry.RemoveSlot(index);
                    entry.LastAccess = Now();
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DestroyAsync(SessionStoreId session, CancellationToken cancellationToken)
    {
        if (_sessions.TryGetValue(session, out var entry))
        {
            Remove(session, entry, reason: null); // the runtime, which destroys it, knows why
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> RenewAsync(SessionStoreId from, SessionStoreId to, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(from, out var entry))
        {
            return ValueTask.FromResult(false);
        }

        var now = Now();
        lock (entry)
        {
            if (entry.Removed || IsExpired(entry, now))
            {
                return ValueTask.FromResult(false);
            }

            // A new entry under the new ID; the old one is marked removed inside the same lock, so
            // a reader of the old ID that was waiting on it finds nothing.
            var moved = entry.MoveTo(now);
            moved.Standing = SignedIn;
            if (!_sessions.TryAdd(to, moved))
            {
                return ValueTask.FromResult(false);
            }

            entry.Removed = true;
            _sessions.TryRemove(new KeyValuePair<SessionStoreId, Entry>(from, entry));
            _renewedAway[from] = now + (long)SessionLifetime.RenewedAwayFor.TotalMilliseconds;
            if (entry.UserKey is { } user)
            {
                Unindex(user, from);
                Index(user, to);
            }
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask TouchAsync(SessionStoreId session, CancellationToken cancellationToken)
    {
        if (_sessions.TryGetValue(session, out var entry))
        {
            var now = Now();
            lock (entry)
            {
                if (!entry.Removed && !IsExpired(entry, now))
                {
                    entry.LastAccess = now;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> SetUserAsync(SessionStoreId session, string userKey, string? device, bool createSession, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userKey);
        var now = Now();
        while (true)
        {
            if (!_sessions.TryGetValue(session, out var entry))
            {
                if (!createSession)
                {
                    return ValueTask.FromResult(false);
                }

                entry = new Entry(now);
                if (!_sessions.TryAdd(session, entry))
                {
                    continue;
                }

                Interlocked.Increment(ref _count);
            }

            string? previous;
            lock (entry)
            {
                if (entry.Removed || IsExpired(entry, now))
                {
                    if (!createSession || !entry.Removed)
                    {
                        return ValueTask.FromResult(false);
                    }

                    continue;
                }

                previous = entry.UserKey;
                entry.SetUser(userKey, device);
                entry.LastAccess = now;
                entry.Standing = SignedIn;
            }

            if (previous is not null && previous != userKey)
            {
                Unindex(previous, session);
            }

            Index(userKey, session);
            EvictIfFull();
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSessionInfo>> GetUserSessionsAsync(string userKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userKey);
        SessionStoreId[] ids;
        lock (_usersGate)
        {
            ids = _users.TryGetValue(userKey, out var set) ? [.. set] : [];
        }

        var now = Now();
        var sessions = new List<StoredSessionInfo>(ids.Length);
        foreach (var id in ids)
        {
            if (_sessions.TryGetValue(id, out var entry))
            {
                lock (entry)
                {
                    if (!entry.Removed && !IsExpired(entry, now) && entry.UserKey == userKey)
                    {
                        sessions.Add(new StoredSessionInfo(id, userKey, DateTimeOffset.FromUnixTimeMilliseconds(entry.CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(entry.LastAccess), entry.Device));
                    }
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<StoredSessionInfo>>(sessions);
    }

    /// <inheritdoc />
    public void Dispose() => _sweeper.Dispose();

    /// <summary>Removes every expired session.</summary>
    internal void SweepExpired()
    {
        var now = Now();
        foreach (var (id, until) in _renewedAway)
        {
            if (until < now)
            {
                _renewedAway.TryRemove(new KeyValuePair<SessionStoreId, long>(id, until));
            }
        }

        foreach (var (id, entry) in _sessions)
        {
            if (IsExpired(entry, now))
            {
                Remove(id, entry, SessionEndReason.Expired);
            }
        }
    }

    private void EvictIfFull()
    {
        if (!IsFull(_limits.MaxSessions, _limits.MaxBytes) || Interlocked.Exchange(ref _evicting, 1) == 1)
        {
            return;
        }

        try
        {
            SweepExpired();
            if (!IsFull(_limits.MaxSessions, _limits.MaxBytes))
            {
                return;
            }

            // Evict down to 90% of the limits in one pass, so that a full store does not sort
            // on every new session: the lowest standing first (see the class remarks).
            var targetSessions = _limits.MaxSessions - Math.Max(1, _limits.MaxSessions / 10);
            var targetBytes = _limits.MaxBytes - (_limits.MaxBytes / 10);
            var evicted = 0;
            var order = _sessions.ToArray()
                .OrderBy(static e => Volatile.Read(ref e.Value.Standing))
                .ThenBy(static e => Volatile.Read(ref e.Value.LastAccess));
            foreach (var (id, entry) in order)
            {
                if (!IsFull(targetSessions, targetBytes))
                {
                    break;
                }

                Remove(id, entry, SessionEndReason.Evicted);
                evicted++;
            }

            LogEvicted(_logger, evicted, _limits.MaxSessions, _limits.MaxBytes);
        }
        finally
        {
            Volatile.Write(ref _evicting, 0);
        }
    }

    private const byte Returning = 1;
    private const byte SignedIn = 2;

    private bool IsFull(int maxSessions, long maxBytes) =>
        Volatile.Read(ref _count) > maxSessions || Interlocked.Read(ref _bytes) > maxBytes;

    // Exactly one caller removes an entry (the Removed flag, under its lock), so a session's end is
    // reported once; reason is null when the runtime destroys it (the runtime reports that itself).
    private void Remove(SessionStoreId id, Entry entry, SessionEndReason? reason)
    {
        lock (entry)
        {
            if (entry.Removed)
            {
                return;
            }

            entry.Removed = true;
            Interlocked.Add(ref _bytes, -entry.PayloadBytes);
        }

        if (_sessions.TryRemove(new KeyValuePair<SessionStoreId, Entry>(id, entry)))
        {
            Interlocked.Decrement(ref _count);
        }

        if (entry.UserKey is { } user)
        {
            Unindex(user, id);
        }

        if (reason is { } why)
        {
            _ended?.SessionEnded(id, entry.UserKey, why);
        }
    }

    private void Index(string userKey, SessionStoreId session)
    {
        lock (_usersGate)
        {
            if (!_users.TryGetValue(userKey, out var set))
            {
                _users[userKey] = set = [];
            }

            set.Add(session);
        }
    }

    private void Unindex(string userKey, SessionStoreId session)
    {
        lock (_usersGate)
        {
            if (_users.TryGetValue(userKey, out var set) && set.Remove(session) && set.Count == 0)
            {
                _users.Remove(userKey);
            }
        }
    }

    private bool IsExpired(Entry entry, long now) => _lifetime.IsExpired(entry.CreatedAt, entry.LastAccess, now);

    // Unix milliseconds, as every store keeps its times (SessionLifetime).
    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    // Kept small on purpose: the memory budget is 200 bytes per session beyond the payload. A session
    // costs the dictionary's node (72 bytes with its 32-byte key) and bucket (8 to 16), this entry (72)
    // and each payload's array header (24). The first slot lives in the entry itself, so that a session
    // of one state needs no slot array; further slots and the user (a signed-in session) are in an
    // Extra, allocated only for the sessions that have them.
    private sealed class Entry(long createdAt)
    {
        public long CreatedAt = createdAt;
        public long LastAccess = createdAt;

        // The first slot (Key null: none), then the others.
        private Slot _first;
        private Extra? _extra;

        public bool Removed;

        // OneShot, Returning or SignedIn (see the class remarks).
        public byte Standing;

        // Set by SetUserAsync (a sign-in); null for an anonymous session.
        public string? UserKey => _extra?.UserKey;

        public string? Device => _extra?.Device;

        public long PayloadBytes
        {
            get
            {
                long total = _first.Key is null ? 0 : _first.Data.Length;
                foreach (var slot in _extra?.Slots ?? [])
                {
                    total += slot.Data.Length;
                }

                return total;
            }
        }

        // Index 0 is the first slot, 1.. the extra ones.
        public int IndexOf(string key)
        {
            if (_first.Key is null)
            {
                return -1;
            }

            if (string.Equals(_first.Key, key, StringComparison.Ordinal))
            {
                return 0;
            }

            var more = _extra?.Slots ?? [];
            for (var i = 0; i < more.Length; i++)
            {
                if (string.Equals(more[i].Key, key, StringComparison.Ordinal))
                {
                    return i + 1;
                }
            }

            return -1;
        }

        public Slot SlotAt(int index) => index == 0 ? _first : _extra!.Slots[index - 1];

        public void SetSlot(int index, Slot slot)
        {
            if (index == 0)
            {
                _first = slot;
            }
            else
            {
                _extra!.Slots[index - 1] = slot;
            }
        }

        public void AddSlot(Slot slot)
        {
            if (_first.Key is null)
            {
                _first = slot;
                return;
            }

            _extra ??= new Extra();
            _extra.Slots = [.. _extra.Slots, slot];
        }

        // Keeps the first slot filled while any slot is left: the last extra one moves up.
        public void RemoveSlot(int index)
        {
            var more = _extra?.Slots ?? [];
            if (index == 0)
            {
                _first = more.Length == 0 ? default : more[^1];
                index = more.Length;
            }

            if (more.Length > 0)
            {
                _extra!.Slots = [.. more.AsSpan(0, index - 1), .. more.AsSpan(index)];
            }
        }

        public void ClearSlots()
        {
            _first = default;
            if (_extra is not null)
            {
                _extra.Slots = [];
            }
        }

        public void SetUser(string userKey, string? device)
        {
            _extra ??= new Extra();
            _extra.UserKey = userKey;
            _extra.Device = device;
        }

        // A new entry with this one's slots and user, for a renewed ID.
        public Entry MoveTo(long now) => new(CreatedAt)
        {
            LastAccess = now,
            Standing = Standing,
            _first = _first,
            _extra = _extra is { } extra ? new Extra { Slots = extra.Slots, UserKey = extra.UserKey, Device = extra.Device } : null,
        };
    }

    // What only some sessions have: a second state and more, a user.
    private sealed class Extra
    {
        public Slot[] Slots = [];
        public string? UserKey;
        public string? Device;
    }

    private readonly record struct Slot(string Key, byte[] Data, long Version);

    // Event 10 of the runtime's numbering (Diagnostics/Log), declared here so the stores depend on nothing else.
    [LoggerMessage(10, LogLevel.Warning, "The memory session store was full and evicted {Count} sessions, lowest standing and least recently used first (limits: {MaxSessions} sessions, {MaxBytes} bytes).", EventName = "MemoryStoreEvicted")]
    private static partial void LogEvicted(ILogger logger, int count, int maxSessions, long maxBytes);
}
