using Microsoft.AspNetCore.Http;

namespace TypedSessions.Cookies;

/// <summary>
/// Whether a request was made by the app's own pages: the browser's <c>Sec-Fetch-Site</c> says
/// <c>same-origin</c> when it is sent, and an <c>Origin</c> header, when sent, names the app itself.
/// Browsers send <c>Origin</c> on every WebSocket handshake and every cross-origin request, so a page of
/// another site, a sibling subdomain or another port cannot pass as the app's own.
/// </summary>
/// <remarks>
/// Behind a proxy that terminates TLS or rewrites the host, run <c>UseForwardedHeaders</c> first, so the
/// request's scheme and host are the ones the browser used.
/// </remarks>
internal static class RequestOrigin
{
    public static bool IsSameOrigin(HttpRequest request)
    {
        var headers = request.Headers;
        if (headers["Sec-Fetch-Site"] is { Count: > 0 } site && !string.Equals(site.ToString(), "same-origin", StringComparison.Ordinal))
        {
            return false;
        }

        return headers.Origin is not { Count: > 0 } origin
            || string.Equals(origin.ToString(), $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
    }
}
