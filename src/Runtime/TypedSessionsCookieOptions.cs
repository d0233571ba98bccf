using Microsoft.AspNetCore.Http;

namespace TypedSessions;

/// <summary>
/// The session cookie. Its value is the session ID authenticated and encrypted with ASP.NET Core
/// Data Protection; it is HttpOnly, SameSite=Lax, Path=/, has no Domain and is not persistent.
/// </summary>
public sealed class TypedSessionsCookieOptions
{
    /// <summary>
    /// The cookie's name. When the cookie is Secure it is sent with the <c>__Host-</c> prefix, which
    /// browsers only accept from HTTPS with Path=/ and no Domain. Default: <c>TypedSessions</c>.
    /// </summary>
    public string Name { get; set; } = "TypedSessions";

    /// <summary>
    /// When the cookie is marked Secure. Default: <see cref="CookieSecurePolicy.SameAsRequest"/>
    /// (Secure on HTTPS). Use <see cref="CookieSecurePolicy.Always"/> to require HTTPS always.
    /// </summary>
    public CookieSecurePolicy SecurePolicy { get; set; } = CookieSecurePolicy.SameAsRequest;

    /// <summary>The SameSite mode. Default: <see cref="SameSiteMode.Lax"/>.</summary>
    public SameSiteMode SameSite { get; set; } = SameSiteMode.Lax;
}
