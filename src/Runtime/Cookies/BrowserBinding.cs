using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;

namespace TypedSessions.Cookies;

/// <summary>
/// A random, HttpOnly cookie that names one browser, so that a cookie ticket made for a Blazor circuit
/// can be redeemed by that circuit's browser only. It is issued on the response to the circuit's
/// SignalR negotiate request, which every circuit's connection follows, and read from the circuit's
/// connection request; the ticket carries a hash of it.
/// </summary>
/// <remarks>
/// It is not a secret of the session and grants nothing on its own: it only makes a ticket worthless in
/// any other browser (a ticket captured by a page script, or an attacker's own ticket planted in a
/// victim's browser). Page scripts cannot read it (HttpOnly), and it takes the session cookie's
/// attributes, so on HTTPS it is a <c>__Host-</c> cookie that sibling subdomains cannot set.
/// </remarks>
internal sealed class BrowserBinding(SessionCookie sessionCookie)
{
    private const int ValueBytes = 16;
    private const int ValueLength = 22; // 16 bytes in unpadded base64url

    /// <summary>The size of <see cref="HashOf"/>'s result.</summary>
    public const int HashSize = 16;

    /// <summary>The cookie's name: the session cookie's, with <c>-binding</c> (never a slot cookie's, which add a dot).</summary>
    public string NameFor(HttpContext context) => sessionCookie.NameFor(context) + "-binding";

    /// <summary>Whether <paramref name="context"/> is a SignalR negotiate request, after which a circuit connects.</summary>
    public static bool IsNegotiateRequest(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method)
        && (context.GetEndpoint()?.Metadata.GetMetadata<NegotiateMetadata>() is not null
            || context.Request.Path.Value?.EndsWith("/negotiate", StringComparison.Ordinal) == true);

    /// <summary>Issues the binding cookie on <paramref name="context"/>'s response unless the request already carries a valid one.</summary>
    public void EnsureIssued(HttpContext context)
    {
        if (HashOf(context) is not null)
        {
            return;
        }

        var value = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(ValueBytes));
        context.Response.Cookies.Append(NameFor(context), value, sessionCookie.OptionsFor(context));
        SessionCookie.ForbidCaching(context);
    }

    /// <summary>A hash of the request's binding cookie, or <see langword="null"/> when it has none (or not one of ours).</summary>
    public byte[]? HashOf(HttpContext context)
    {
        var value = context.Request.Cookies[NameFor(context)];
        if (value is null || !ClientText.TryDecodeBase64Url(value, ValueLength, out var bytes) || bytes.Length != ValueBytes)
        {
            return null;
        }

        return SHA256.HashData(bytes)[..HashSize];
    }
}
