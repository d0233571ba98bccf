using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using TypedSessions.Core;
using TypedSessions.Stores;

namespace TypedSessions.Hosting;

/// <summary>
/// Short-lived, authenticated orders to change the session cookie. A Blazor circuit has no HTTP
/// response of its own, so when its session gets a new ID (first write, renew) or ends (invalidate),
/// it hands the browser a ticket, and the browser trades it for the cookie at the cookie endpoint
/// (<see cref="TypedSessionsOptions.CookieEndpointPath"/>).
/// </summary>
/// <remarks>
/// A ticket only reaches the browser of its own circuit, lives for a minute, and is protected under a
/// purpose of its own, so it can be neither forged nor used as a session cookie.
/// </remarks>
internal sealed class SessionCookieTickets(IDataProtectionProvider dataProtection, TimeProvider time)
{
    public const string ProtectorPurpose = "TypedSessions.CookieTicket.v1";

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    /// <summary>A ticket is well under this many characters; the endpoint reads no more than this.</summary>
    public const int MaxTicketLength = 512;

    // Payload: the change (1 byte), the expiry (Unix milliseconds, 8 bytes), then the session ID for Issue.
    // The expiry is checked against the application's TimeProvider rather than the protector's clock.
    private const int HeaderSize = 9;

    private readonly IDataProtector _protector = dataProtection.CreateProtector(ProtectorPurpose);

    public string Create(SessionCookieChange change, ReadOnlySpan<byte> sessionId)
    {
        var payload = new byte[HeaderSize + sessionId.Length];
        payload[0] = (byte)change;
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(1), (time.GetUtcNow() + Lifetime).ToUnixTimeMilliseconds());
        sessionId.CopyTo(payload.AsSpan(HeaderSize));
        return Base64Url.EncodeToString(_protector.Protect(payload));
    }

    /// <summary>The change a ticket orders, or <see langword="null"/> (with the reason) for anything not a valid, live ticket.</summary>
    public (SessionCookieChange Change, byte[] SessionId)? Read(string ticket, out string? reason)
    {
        reason = null;
        if (ticket.Length is 0 or > MaxTicketLength || !Base64Url.IsValid(ticket.AsSpan(), out var length))
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

        var change = payload.Length >= HeaderSize ? (SessionCookieChange)payload[0] : SessionCookieChange.None;
        var idLength = change == SessionCookieChange.Issue ? SessionStoreId.SessionIdSize : 0;
        if (change is not (SessionCookieChange.Issue or SessionCookieChange.Delete) || payload.Length != HeaderSize + idLength)
        {
            reason = "malformed";
            return null;
        }

        if (BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(1)) < time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            reason = "expired";
            return null;
        }

        return (change, payload[HeaderSize..]);
    }
}
