using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedSessions.Cookies;
using TypedSessions.Diagnostics;

namespace TypedSessions.Stores.Cookie;

/// <summary>
/// Keeps slots in the browser: one cookie per slot (chunked past 4 KB, <see cref="SlotCookieJar"/>),
/// authenticated and encrypted with Data Protection under a purpose per state key, and bound to the
/// session: a slot cookie only counts for the session whose store ID it carries. Renew re-issues the
/// cookies for the new ID and invalidate deletes them, so old copies are worth nothing to the new
/// session. Belongs to one scope (a request or a circuit), whose cookies it reads and writes.
/// </summary>
/// <remarks>
/// <para>The store never writes to a server: it holds nothing a server restart or a second server could
/// lose, as long as the servers share the Data Protection key ring. Old keys stay readable after a key
/// rotation; new writes use the new key.</para>
/// <para>Where the contract of server stores does not apply: two requests of one browser racing on the
/// same slot both succeed, and the browser keeps the last response's cookie (compare-and-set holds
/// within a scope only); and other open circuits of the browser keep the cookies they started with
/// until their next page load.</para>
/// </remarks>
internal sealed class CookieSessionStore : ISessionStore
{
    public const string ProtectorPurpose = "TypedSessions.CookieStore.v1";

    // Payload: format (1), store ID (32), version (8), created (8), last used (8), then the slot's bytes.
    private const byte Format = 1;
    private const int HeaderSize = 1 + SessionStoreId.SessionIdSize + 24;

    // No slot cookie (chunks reassembled) is longer than the jar's longest value; anything longer is not ours.
    private const int MaxCookieText = SlotCookieJar.ChunkSize * SlotCookieJar.MaxChunks;

    private readonly SlotCookieJar _jar;
    private readonly IDataProtector _root;
    private readonly SessionLifetime _lifetime;
    private readonly int _budget;
    private readonly TimeProvider _time;
    private readonly ILogger<CookieSessionStore> _logger;
    private readonly Dictionary<string, IDataProtector> _protectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Raw, Slot? Slot)> _decoded = new(StringComparer.Ordinal);

    public CookieSessionStore(
        SlotCookieJar jar,
        IDataProtectionProvider dataProtection,
        IOptions<TypedSessionsOptions> options,
        IOptions<CookieSessionStoreOptions> cookieOptions,
        TimeProvider time,
        ILogger<CookieSessionStore> logger)
    {
        _jar = jar;
        _root = dataProtection.CreateProtector(ProtectorPurpose);
        _lifetime = SessionLifetime.From(options.Value);
        _budget = cookieOptions.Value.MaxBytes;
        _time = time;
        _logger = logger;
    }

    public ValueTask<SessionLoadResult> LoadAsync(SessionStoreId session, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var live = LiveSlots(session);
        if (live.Count == 0)
        {
            return ValueTask.FromResult(SessionLoadResult.Missing(keys.Count));
        }

        var slots = new StoredSlot?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            if (live.TryGetValue(keys[i], out var slot))
            {
                slots[i] = new StoredSlot(slot.Data, slot.Version);
            }
        }

        var lastAccessed = DateTimeOffset.FromUnixTimeMilliseconds(live.Values.Min(static s => s.LastAccess));
        return ValueTask.FromResult(new SessionLoadResult(true, lastAccessed, slots));
    }

    public ValueTask<SlotSaveResult> SaveAsync(SessionStoreId session, string key, ReadOnlyMemory<byte> data, long expectedVersion, bool createSession, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        EnsureCanWrite();
        var live = LiveSlots(session);
        if (live.Count == 0 && !createSession)
        {
            return ValueTask.FromResult(SlotSaveResult.SessionMissing);
        }

        var current = live.TryGetValue(key, out var existing) ? existing.Version : StoredSlot.Absent;
        if (expectedVersion != StoredSlot.AnyVersion && expectedVersion != current)
        {
            return ValueTask.FromResult(SlotSaveResult.Conflict);
        }

        // Random versions: a cookie store has no counter to draw from, and a browser may replay any old
        // cookie; 53 random bits make a repeat as good as impossible.
        long version;
        do
        {
            version = Random.Shared.NextInt64(1, 1L << 53);
        }
        while (version == current);

        var now = Now();
        var createdAt = live.Count > 0 ? live.Values.First().CreatedAt : now;
        var value = Encode(key, new Slot(session, version, createdAt, now, data.ToArray()));
        // The budget counts this session's live slots only: cookies that are not ours (forged, of another
        // session, expired) are the client's, and must not make a write fail.
        var size = SlotCookieJar.EstimatedSize(key, value);
        foreach (var other in live.Keys)
        {
            if (other != key && _jar.Read(other) is { } raw)
            {
                size += SlotCookieJar.EstimatedSize(other, raw);
            }
        }

        if (size > _budget)
        {
            throw new SessionCookieTooLargeException(key, size, _budget);
        }

        _jar.Write(key, value);
        return ValueTask.FromResult(new SlotSaveResult(true, version));
    }

    public ValueTask RemoveAsync(SessionStoreId session, string key, CancellationToken cancellationToken)
    {
        if (LiveSlots(session).ContainsKey(key))
        {
            EnsureCanWrite();
            _jar.Write(key, null);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DestroyAsync(SessionStoreId session, CancellationToken cancellationToken)
    {
        var live = LiveSlots(session);
        if (live.Count > 0)
        {
            EnsureCanWrite();
            foreach (var key in live.Keys)
            {
                _jar.Write(key, null);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> RenewAsync(SessionStoreId from, SessionStoreId to, CancellationToken cancellationToken)
    {
        var live = LiveSlots(from);
        if (live.Count == 0)
        {
            return ValueTask.FromResult(false);
        }

        EnsureCanWrite();
        var now = Now();
        foreach (var (key, slot) in live)
        {
            _jar.Write(key, Encode(key, slot with { Session = to, LastAccess = now }));
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask TouchAsync(SessionStoreId session, CancellationToken cancellationToken)
    {
        // Refreshing "last used" rewrites every slot cookie; once the response has started it waits for
        // the next request, which is no loss: the runtime refreshes well before the idle timeout.
        if (!_jar.CanWrite)
        {
            return ValueTask.CompletedTask;
        }

        var now = Now();
        foreach (var (key, slot) in LiveSlots(session))
        {
            _jar.Write(key, Encode(key, slot with { LastAccess = now }));
        }

        return ValueTask.CompletedTask;
    }

    private Dictionary<string, Slot> LiveSlots(SessionStoreId session)
    {
        var now = Now();
        var live = new Dictionary<string, Slot>(StringComparer.Ordinal);
        foreach (var key in _jar.Keys)
        {
            if (Decode(key) is { } slot && slot.Session == session && !_lifetime.IsExpired(slot.CreatedAt, slot.LastAccess, now))
            {
                live[key] = slot;
            }
        }

        return live;
    }

    private Slot? Decode(string key)
    {
        var raw = _jar.Read(key);
        if (raw is null)
        {
            return null;
        }

        if (_decoded.TryGetValue(key, out var cached) && ReferenceEquals(cached.Raw, raw))
        {
            return cached.Slot;
        }

        var slot = Unprotect(key, raw);
        _decoded[key] = (raw, slot);
        return slot;
    }

    private Slot? Unprotect(string key, string raw)
    {
        if (!ClientText.TryDecodeBase64Url(raw, MaxCookieText, out var bytes))
        {
            Log.SlotCookieRejected(_logger, key, "not base64url");
            return null;
        }

        byte[] payload;
        try
        {
            payload = ProtectorFor(key).Unprotect(bytes);
        }
        catch (CryptographicException)
        {
            Log.SlotCookieRejected(_logger, key, "not authentic");
            return null;
        }

        if (payload.Length < HeaderSize || payload[0] != Format)
        {
            Log.SlotCookieRejected(_logger, key, "unknown format");
            return null;
        }

        var span = payload.AsSpan(1);
        var session = SessionStoreId.FromHash(span[..SessionStoreId.SessionIdSize]);
        span = span[SessionStoreId.SessionIdSize..];
        return new Slot(
            session,
            BinaryPrimitives.ReadInt64BigEndian(span),
            BinaryPrimitives.ReadInt64BigEndian(span[8..]),
            BinaryPrimitives.ReadInt64BigEndian(span[16..]),
            payload[HeaderSize..]);
    }

    private string Encode(string key, Slot slot)
    {
        var payload = new byte[HeaderSize + slot.Data.Length];
        payload[0] = Format;
        slot.Session.WriteTo(payload.AsSpan(1));
        var span = payload.AsSpan(1 + SessionStoreId.SessionIdSize);
        BinaryPrimitives.WriteInt64BigEndian(span, slot.Version);
        BinaryPrimitives.WriteInt64BigEndian(span[8..], slot.CreatedAt);
        BinaryPrimitives.WriteInt64BigEndian(span[16..], slot.LastAccess);
        slot.Data.CopyTo(payload.AsSpan(HeaderSize));
        return Base64Url.EncodeToString(ProtectorFor(key).Protect(payload));
    }

    // A purpose per key: a slot's cookie renamed to another state's name fails authentication.
    private IDataProtector ProtectorFor(string key)
    {
        if (!_protectors.TryGetValue(key, out var protector))
        {
            protector = _root.CreateProtector(key);
            _protectors[key] = protector;
        }

        return protector;
    }

    private void EnsureCanWrite()
    {
        if (!_jar.CanWrite)
        {
            throw new InvalidOperationException(
                "A state kept in the cookie store changed after the response started: its cookie can no longer reach the browser. " +
                "Write to the session before the response body starts (or before the first flush of a streaming response).");
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private readonly record struct Slot(SessionStoreId Session, long Version, long CreatedAt, long LastAccess, byte[] Data);
}
