using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TypedSessions.Stores;
using TypedSessions.Diagnostics;

namespace TypedSessions.Cookies;

/// <summary>
/// Reads and writes the session cookie. Its value is the session ID protected by Data Protection
/// (authenticated and encrypted), so only IDs this application issued are ever accepted.
/// </summary>
internal sealed class SessionCookie
{
    /// <summary>The purpose string isolates these payloads from every other use of the key ring.</summary>
    public const string ProtectorPurpose = "TypedSessions.SessionCookie.v1";

    // A protected 32-byte ID is well under 200 characters; anything much longer is not ours.
    private const int MaxCookieLength = 512;

    // Unprotecting costs a key-ring lookup, an HMAC and a decryption on every request, and its answer for
    // one cookie value never changes: recent answers (the ID and its store ID, a SHA-256 of it) are
    // remembered for a minute (a key revoked in that minute is honoured at the latest a minute late).
    // Only values that unprotected are remembered.
    private const int MaxRemembered = 10_000;
    private static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(1);

    private readonly IDataProtector _protector;
    private readonly TypedSessionsCookieOptions _options;
    private readonly string _secureName;
    private readonly TimeProvider _time;
    private readonly ILogger<SessionCookie> _logger;
    private readonly ConcurrentDictionary<string, (SessionCookieId Id, DateTimeOffset Until)> _recent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (SessionCookieId Id, DateTimeOffset Until)>.AlternateLookup<ReadOnlySpan<char>> _recentByText;

    public SessionCookie(IDataProtectionProvider dataProtection, IOptions<TypedSessionsOptions> options, TimeProvider time, ILogger<SessionCookie> logger)
    {
        _protector = dataProtection.CreateProtector(ProtectorPurpose);
        _options = options.Value.Cookie;
        _secureName = "__Host-" + _options.Name;
        _time = time;
        _logger = logger;
        _recentByText = _recent.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The session ID carried by the request, or <see langword="null"/> when absent or invalid.</summary>
    /// <remarks>
    /// The cookie is looked up in the header text (<see cref="CookieHeader"/>) and a remembered value is
    /// found by that text: a request whose cookie was seen in the last minute allocates nothing here.
    /// </remarks>
    public SessionCookieId? Read(HttpContext context)
    {
        var name = NameFor(context);
        string? text = null;
        ReadOnlySpan<char> value;
        switch (CookieHeader.Find(context.Request.Headers.Cookie, name, out var found))
        {
            case CookieHeader.Lookup.Absent:
                return null;
            case CookieHeader.Lookup.Found:
                value = found.Span;
                break;
            default:
                text = context.Request.Cookies[name];
                value = text;
                break;
        }

        if (value.IsEmpty)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (_recentByText.TryGetValue(value, out var remembered) && remembered.Until > now)
        {
            return remembered.Id;
        }

        if (!ClientText.TryDecodeBase64Url(value, MaxCookieLength, out var decoded))
        {
            Log.CookieRejected(_logger, value.Length > MaxCookieLength ? "oversized" : "not base64url");
            return null;
        }

        try
        {
            var id = _protector.Unprotect(decoded);
            if (id.Length != SessionStoreId.SessionIdSize)
            {
                Log.CookieRejected(_logger, "wrong length");
                return null;
            }

            if (_recent.Count >= MaxRemembered)
            {
                _recent.Clear();
            }

            var read = SessionCookieId.Of(id);
            _recent[text ?? value.ToString()] = (read, now + RememberFor);
            return read;
        }
        catch (CryptographicException)
        {
            Log.CookieRejected(_logger, "not authentic");
            return null;
        }
    }

    /// <summary>Sends <paramref name="sessionId"/> as the session cookie. Call before the response starts.</summary>
    public void Issue(HttpContext context, ReadOnlySpan<byte> sessionId)
    {
        var value = Base64Url.EncodeToString(_protector.Protect(sessionId.ToArray()));
        context.Response.Cookies.Append(NameFor(context), value, OptionsFor(context));
        ForbidCaching(context);
    }

    /// <summary>
    /// Marks a response that sets or deletes a session, slot or binding cookie as not cacheable: a cache
    /// must never replay it to someone else, nor replay an old one to its own browser.
    /// </summary>
    public static void ForbidCaching(HttpContext context)
    {
        context.Response.Headers[HeaderNames.CacheControl] = "no-cache,no-store";
        context.Response.Headers[HeaderNames.Pragma] = "no-cache";
    }

    /// <summary>Carries out <paramref name="change"/> on the response: issues <paramref name="sessionId"/>, deletes the cookie, or nothing.</summary>
    public void Apply(HttpContext context, SessionCookieChange change, ReadOnlySpan<byte> sessionId)
    {
        switch (change)
        {
            case SessionCookieChange.Issue:
                Issue(context, sessionId);
                break;
            case SessionCookieChange.Delete:
                Delete(context);
                break;
        }
    }

    /// <summary>Expires the session cookie in the browser.</summary>
    public void Delete(HttpContext context)
    {
        context.Response.Cookies.Delete(NameFor(context), OptionsFor(context));
        ForbidCaching(context);
    }

    /// <summary>The cookie's name: with the <c>__Host-</c> prefix when the cookie is Secure.</summary>
    public string NameFor(HttpContext context) => IsSecure(context) ? _secureName : _options.Name;

    private bool IsSecure(HttpContext context) => _options.SecurePolicy switch
    {
        CookieSecurePolicy.Always => true,
        CookieSecurePolicy.None => false,
        _ => context.Request.IsHttps,
    };

    /// <summary>
    /// The attributes of the session cookie, which the cookie store's slot cookies share: HttpOnly, Secure
    /// by the policy, SameSite, Path=/, no Domain, not persistent.
    /// </summary>
    public CookieOptions OptionsFor(HttpContext context) => new()
    {
        HttpOnly = true,
        Secure = IsSecure(context),
        SameSite = _options.SameSite,
        Path = "/",
        IsEssential = true,
    };
}
