using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using TypedSessions.Core;
using TypedSessions.Stores;

namespace TypedSessions.Hosting;

/// <summary>
/// Short-lived, authenticated orders to change the session cookie and the cookie store's slot cookies.
/// A Blazor circuit has no HTTP response of its own, so when its session gets a new ID (first write,
/// renew) or ends (invalidate), or a state kept in the cookie store changes, it hands the browser a ticket, and the browser trades it for the cookie at the cookie endpoint
/// (<see cref="TypedSessionsOptions.CookieEndpointPath"/>).
/// </summary>
/// <remarks>
/// A ticket only reaches the browser of its own circuit, lives for a minute, and is protected under a
/// purpose of its own, so it can be neither forged nor used as a session cookie.
/// </remarks>
internal sealed class SessionCookieTickets(IDataProtectionProvider dataProtection, TimeProvider time, IOptions<CookieSessionStoreOptions> cookieStore)
{
    public const string ProtectorPurpose = "TypedSessions.CookieTicket.v1";

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest ticket the endpoint reads: a session cookie change is a few hundred characters; slot
    /// cookies of the cookie store add their own length, which its budget bounds.
    /// </summary>
    public int MaxTicketLength { get; } = 512 + (2 * cookieStore.Value.MaxBytes);

    // Payload: the change (1 byte), the expiry (Unix milliseconds, 8 bytes), the session ID for Issue,
    // then each slot cookie write: key length (1 byte), key (ASCII), value length (4 bytes, -1 to
    // delete), value (ASCII). The expiry is checked against the application's TimeProvider rather
    // than the protector's clock.
    private const int HeaderSize = 9;

    private readonly IDataProtector _protector = dataProtection.CreateProtector(ProtectorPurpose);

    public string Create(SessionCookieChange change, ReadOnlySpan<byte> sessionId, IReadOnlyList<SlotCookieWrite> slotCookies)
    {
        var idLength = change == SessionCookieChange.Issue ? SessionStoreId.SessionIdSize : 0;
        var size = HeaderSize + idLength + slotCookies.Sum(static w => 5 + w.Key.Length + (w.Value?.Length ?? 0));
        var payload = new byte[size];
        payload[0] = (byte)change;
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(1), (time.GetUtcNow() + Lifetime).ToUnixTimeMilliseconds());
        sessionId[..idLength].CopyTo(payload.AsSpan(HeaderSize));
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

    /// <summary>The changes a ticket orders, or <see langword="null"/> (with the reason) for anything not a valid, live ticket.</summary>
    public CookieTicket? Read(string ticket, out string? reason)
    {
        reason = null;
        if (ticket.Length == 0 || ticket.Length > MaxTicketLength || !Base64Url.IsValid(ticket.AsSpan(), out var length))
        {
            reason = "malformed";
            return null;
        }

        var bytes = new byte[length];
        Base64Url.DecodeFromChars(ticket, bytes);
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

        var change = payload.Length >= HeaderSize ? (SessionCookieChange)payload[0] : (SessionCookieChange)byte.MaxValue;
        var idLength = change == SessionCookieChange.Issue ? SessionStoreId.SessionIdSize : 0;
        if (!Enum.IsDefined(change) || payload.Length < HeaderSize + idLength || ReadSlotCookies(payload.AsSpan(HeaderSize + idLength)) is not { } slotCookies)
        {
            reason = "malformed";
            return null;
        }

        if (BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(1)) < time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            reason = "expired";
            return null;
        }

        return new CookieTicket(change, payload[HeaderSize..(HeaderSize + idLength)], slotCookies);
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

/// <summary>What a valid ticket orders: the session cookie's change and the slot cookies to write.</summary>
internal sealed record CookieTicket(SessionCookieChange Change, byte[] SessionId, IReadOnlyList<SlotCookieWrite> SlotCookies);
