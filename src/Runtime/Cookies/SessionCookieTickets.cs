using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using TypedSessions.Stores;

namespace TypedSessions.Cookies;

/// <summary>
/// Short-lived, authenticated orders to change the session cookie and the cookie store's slot cookies.
/// A Blazor circuit has no HTTP response of its own, so when its session gets a new ID (first write,
/// renew) or ends (invalidate), or a state kept in the cookie store changes, it hands its browser a
/// ticket, and the browser trades it for the cookies at the cookie endpoint (<see cref="CookieEndpoint"/>).
/// </summary>
/// <remarks>
/// <para>A ticket is protected under a purpose of its own (it can be neither forged nor used as a session
/// cookie), lives for a minute, and is worth something only to the browser it was made for and only once:</para>
/// <list type="bullet">
/// <item>it carries a hash of that browser's binding cookie (<see cref="BrowserBinding"/>), which no other
/// browser has and no page script can read;</item>
/// <item>it names the session cookie the browser is expected to hold (or none), so a stale ticket cannot
/// overwrite a cookie that has moved on since (another tab signed in or out);</item>
/// <item>it carries a random nonce that this server accepts once.</item>
/// </list>
/// </remarks>
internal sealed class SessionCookieTickets(IDataProtectionProvider dataProtection, TimeProvider time, IOptions<CookieSessionStoreOptions> cookieStore)
{
    public const string ProtectorPurpose = "TypedSessions.CookieTicket.v2";

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest ticket the endpoint reads: a session cookie change is a few hundred characters; slot
    /// cookies of the cookie store add their own length, which its budget bounds.
    /// </summary>
    public int MaxTicketLength { get; } = 512 + (2 * cookieStore.Value.MaxBytes);

    // Payload: the change (1 byte), the expiry (Unix milliseconds, 8), the nonce (16), the binding hash
    // (16), whether the browser holds a session cookie (1) and its store ID (32), then the new session ID
    // for Issue (32), then each slot cookie write: key length (1), key (ASCII), value length (4, -1 to
    // delete), value (ASCII). The expiry is checked against the application's TimeProvider rather than
    // the protector's clock.
    private const int NonceSize = 16;
    private const int HeaderSize = 1 + 8 + NonceSize + BrowserBinding.HashSize + 1 + SessionStoreId.SessionIdSize;

    private readonly IDataProtector _protector = dataProtection.CreateProtector(ProtectorPurpose);

    // Nonces redeemed on this server, until their ticket would have expired anyway.
    private readonly ConcurrentDictionary<UInt128, long> _redeemed = new();
    private long _nextSweep;

    public string Create(SessionCookieChange change, ReadOnlySpan<byte> sessionId, SessionStoreId? browserHolds, ReadOnlySpan<byte> bindingHash, IReadOnlyList<SlotCookieWrite> slotCookies)
    {
        if (bindingHash.Length != BrowserBinding.HashSize)
        {
            throw new ArgumentException("A ticket must be bound to a browser.", nameof(bindingHash));
        }

        var idLength = change == SessionCookieChange.Issue ? SessionStoreId.SessionIdSize : 0;
        var size = HeaderSize + idLength + slotCookies.Sum(static w => 5 + w.Key.Length + (w.Value?.Length ?? 0));
        var payload = new byte[size];
        var span = payload.AsSpan();
        span[0] = (byte)change;
        BinaryPrimitives.WriteInt64BigEndian(span[1..], (time.GetUtcNow() + Lifetime).ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(span.Slice(9, NonceSize));
        bindingHash.CopyTo(span[(9 + NonceSize)..]);
        var holdsAt = 9 + NonceSize + BrowserBinding.HashSize;
        span[holdsAt] = browserHolds is null ? (byte)0 : (byte)1;
        browserHolds?.WriteTo(span[(holdsAt + 1)..]);
        sessionId[..idLength].CopyTo(span[HeaderSize..]);
        var offset = HeaderSize + idLength;
        foreach (var (key, value) in slotCookies)
        {
            payload[offset++] = (byte)key.Length;
            offset += Encoding.ASCII.GetBytes(key, payload.AsSpan(offset));
            BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(offset), value?.Length ?? -1);
            offset += 4;
            if (value is not null)
            {
                offset += Encoding.ASCII.GetBytes(value, payload.AsSpan(offset));
            }
        }

        return Base64Url.EncodeToString(_protector.Protect(payload));
    }

    /// <summary>The changes a ticket orders, or <see langword="null"/> (with the reason) for anything not an authentic, live ticket.</summary>
    public CookieTicket? Read(ReadOnlySpan<char> ticket, out string reason)
    {
        reason = "malformed";
        if (!ClientText.TryDecodeBase64Url(ticket, MaxTicketLength, out var bytes))
        {
            return null;
        }

        byte[] payload;
        try
        {
            payload = _protector.Unprotect(bytes);
        }
        catch (CryptographicException)
        {
            reason = "not authentic";
            return null;
        }

        if (payload.Length < HeaderSize)
        {
            return null;
        }

        var change = (SessionCookieChange)payload[0];
        var idLength = change == SessionCookieChange.Issue ? SessionStoreId.SessionIdSize : 0;
        var holdsAt = 9 + NonceSize + BrowserBinding.HashSize;
        if (!Enum.IsDefined(change) || payload[holdsAt] > 1 || payload.Length < HeaderSize + idLength
            || ReadSlotCookies(payload.AsSpan(HeaderSize + idLength)) is not { } slotCookies)
        {
            return null;
        }

        var expiresAt = BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(1));
        if (expiresAt < time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            reason = "expired";
            return null;
        }

        reason = "";
        return new CookieTicket(
            change,
            payload[HeaderSize..(HeaderSize + idLength)],
            payload[holdsAt] == 1 ? SessionStoreId.FromHash(payload.AsSpan(holdsAt + 1, SessionStoreId.SessionIdSize)) : null,
            payload[(9 + NonceSize)..holdsAt],
            BinaryPrimitives.ReadUInt128BigEndian(payload.AsSpan(9, NonceSize)),
            expiresAt,
            slotCookies);
    }

    /// <summary>Accepts <paramref name="ticket"/>'s nonce once; <see langword="false"/> when it was redeemed before.</summary>
    public bool TryRedeem(CookieTicket ticket)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now >= Interlocked.Read(ref _nextSweep))
        {
            Interlocked.Exchange(ref _nextSweep, now + (long)Lifetime.TotalMilliseconds);
            foreach (var (nonce, until) in _redeemed)
            {
                if (until < now)
                {
                    _redeemed.TryRemove(nonce, out _);
                }
            }
        }

        return _redeemed.TryAdd(ticket.Nonce, ticket.ExpiresAt);
    }

    private static List<SlotCookieWrite>? ReadSlotCookies(ReadOnlySpan<byte> rest)
    {
        var writes = new List<SlotCookieWrite>();
        while (!rest.IsEmpty)
        {
            int keyLength = rest[0];
            if (rest.Length < 1 + keyLength + 4)
            {
                return null;
            }

            var key = Encoding.ASCII.GetString(rest.Slice(1, keyLength));
            var valueLength = BinaryPrimitives.ReadInt32BigEndian(rest[(1 + keyLength)..]);
            rest = rest[(1 + keyLength + 4)..];
            if (valueLength < -1 || valueLength > rest.Length)
            {
                return null;
            }

            writes.Add(new SlotCookieWrite(key, valueLength < 0 ? null : Encoding.ASCII.GetString(rest[..valueLength])));
            rest = rest[Math.Max(0, valueLength)..];
        }

        return writes;
    }
}

/// <summary>What an authentic ticket orders, and whom it is for.</summary>
/// <param name="Change">The session cookie's change.</param>
/// <param name="SessionId">The session ID to issue (Issue only).</param>
/// <param name="BrowserHolds">The session the browser's cookie must name now, or <see langword="null"/> for none.</param>
/// <param name="BindingHash">The hash of the binding cookie of the browser the ticket was made for.</param>
/// <param name="Nonce">Accepted once.</param>
/// <param name="ExpiresAt">Unix milliseconds.</param>
/// <param name="SlotCookies">The slot cookies to write.</param>
internal sealed record CookieTicket(
    SessionCookieChange Change,
    byte[] SessionId,
    SessionStoreId? BrowserHolds,
    byte[] BindingHash,
    UInt128 Nonce,
    long ExpiresAt,
    IReadOnlyList<SlotCookieWrite> SlotCookies);
