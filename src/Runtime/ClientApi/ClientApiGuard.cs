using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TypedSessions.Cookies;
using TypedSessions.Http;
using TypedSessions.Serialization;

namespace TypedSessions.ClientApi;

/// <summary>
/// What every client API request must show before it reaches a session, and what a write must show
/// besides: the app's own origin, the client's marker header, and for writes an anti-forgery token.
/// </summary>
/// <remarks>
/// The marker header alone keeps out forms, images and scripts of other sites (they cannot set it) and
/// cross-origin fetches (they need a preflight, which is never granted); <c>Sec-Fetch-Site</c> and
/// <c>Origin</c>, when the browser sends them, must name this app. A write also needs ASP.NET Core's
/// anti-forgery request token, which a page of another origin cannot read, so a sibling origin that
/// could get past the origin checks (a same-site subdomain, say) still cannot forge one.
/// </remarks>
internal static class ClientApiGuard
{
    /// <summary>Answers 403 and returns <see langword="false"/> when the request is not the app's own client.</summary>
    public static async ValueTask<bool> AdmitAsync(HttpContext context, bool write)
    {
        var request = context.Request;
        if (!string.Equals(request.Headers[SessionClientProtocol.MarkerHeader], SessionClientProtocol.MarkerValue, StringComparison.Ordinal)
            || !RequestOrigin.IsSameOrigin(request))
        {
            await RefuseAsync(context, "origin", "Client API requests must come from the app's own pages, with its client.").ConfigureAwait(false);
            return false;
        }

        if (write && !await HasValidAntiforgeryTokenAsync(context).ConfigureAwait(false))
        {
            await RefuseAsync(context, "antiforgery", "A client API write needs a valid anti-forgery token.").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    public static Task RefuseAsync(HttpContext context, string reason, string detail) =>
        ProblemAnswer.WriteAsync(context, StatusCodes.Status403Forbidden, "Refused", detail, header: (SessionClientProtocol.RefusalHeader, reason));

    private static async ValueTask<bool> HasValidAntiforgeryTokenAsync(HttpContext context)
    {
        var token = context.Request.Headers[SessionClientProtocol.AntiforgeryHeader].ToString();
        if (token.Length is 0 or > 4096)
        {
            return false;
        }

        // IAntiforgery reads the token from the header its options name; the client sends it under ours.
        // Without its cookie the token cannot be valid: refused here, without IAntiforgery's warning.
        var options = context.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;
        if (options.HeaderName is not { } headerName || options.Cookie.Name is not { } cookie || !context.Request.Cookies.ContainsKey(cookie))
        {
            return false;
        }

        context.Request.Headers[headerName] = token;
        try
        {
            return await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }
}
