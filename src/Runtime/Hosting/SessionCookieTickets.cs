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

    private const int MaxTicketLength = 512;

    private readonly ITimeLimitedDataProtector _protector = dataProtection.CreateProtector(ProtectorPurpose).ToTimeLimitedDataProtector();

    public string Create(SessionCookieChange change, ReadOnlySpan<byte> sessionId)
    {
        var payload = new byte[1 + sessionId.Length];
        payload[0] = (byte)change;
        sessionId.CopyTo(payload.AsSpan(1));
        return Base64Url.EncodeToString(_protector.Protect(payload, time.GetUtcNow() + Lifetime));
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
            payload = _protector.Unprotect(bytes, out var expiration);
            if (expiration < time.GetUtcNow())
            {
                reason = "expired";
                return null;
            }
        }
        catch (CryptographicException)
        {
            reason = "not authentic or expired";
            return null;
        }

        var change = (SessionCookieChange)payload[0];
        var idLength = change == SessionCookieChange.Issue ? SessionStoreId.SessionIdSize : 0;
        if (payload.Length != 1 + idLength || change is not (SessionCookieChange.Issue or SessionCookieChange.Delete))
        {
            reason = "malformed";
            return null;
        }

        return (change, payload[1..]);
    }
}
