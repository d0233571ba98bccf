using System.Buffers;
using Microsoft.Extensions.Primitives;

namespace TypedSessions.Cookies;

/// <summary>
/// Finds one cookie in the request's <c>Cookie</c> header text, without building the request's cookie
/// collection (a dictionary and a string for every cookie the browser sent) on every request.
/// </summary>
/// <remarks>
/// Only the plain case is decided here: every cookie in the header is a plain <c>name=value</c> (a token,
/// <c>=</c>, cookie characters, separated by <c>;</c> and optional spaces), and the one of that exact name,
/// if any, appears once with a base64url value (all this library writes). Anything else (the name twice,
/// in another case, a quoted or percent-encoded value, a malformed neighbour) is
/// <see cref="Lookup.Unsure"/>, and the caller asks ASP.NET Core's parser: what is accepted is always what
/// <c>Request.Cookies</c> would give.
/// </remarks>
internal static class CookieHeader
{
    public enum Lookup
    {
        /// <summary>No cookie of that name, in any case.</summary>
        Absent,

        /// <summary>One cookie of that name, with a plain base64url value.</summary>
        Found,

        /// <summary>Not the plain case: ask <c>Request.Cookies</c>.</summary>
        Unsure,
    }

    // RFC 7230 token characters, and RFC 6265 cookie-octets.
    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly SearchValues<char> ValueChars =
        SearchValues.Create("!#$%&'()*+-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    public static Lookup Find(StringValues headers, string name, out ReadOnlyMemory<char> value)
    {
        value = default;
        var found = false;
        foreach (var header in headers)
        {
            var rest = header.AsMemory();
            while (!rest.IsEmpty)
            {
                var end = rest.Span.IndexOf(';');
                var pair = (end < 0 ? rest : rest[..end]).TrimStart(' ');
                rest = end < 0 ? ReadOnlyMemory<char>.Empty : rest[(end + 1)..];

                var equals = pair.Span.IndexOf('=');
                if (equals <= 0)
                {
                    return Lookup.Unsure;
                }

                var pairName = pair.Span[..equals];
                var pairValue = pair[(equals + 1)..];
                if (pairName.ContainsAnyExcept(NameChars) || pairValue.Span.ContainsAnyExcept(ValueChars))
                {
                    return Lookup.Unsure;
                }

                if (!pairName.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (found || !pairName.SequenceEqual(name) || pairValue.Span.ContainsAnyExcept(ClientText.Base64UrlAlphabet))
                {
                    return Lookup.Unsure;
                }

                found = true;
                value = pairValue;
            }
        }

        return found ? Lookup.Found : Lookup.Absent;
    }
}
