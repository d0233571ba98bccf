using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TypedSessions.Diagnostics;

namespace TypedSessions.Cookies;

/// <summary>
/// Answers <see cref="TypedSessionsOptions.CookieEndpointPath"/>, where the browser of a Blazor circuit
/// trades a ticket (<see cref="SessionCookieTickets"/>) for the cookie changes it orders.
/// </summary>
/// <remarks>
/// Every check is needed against a different attacker:
/// <list type="number">
/// <item>POST only, from the app's own origin: <c>Sec-Fetch-Site: same-origin</c> when the browser sends it,
/// an <c>Origin</c> equal to the request's own otherwise, and the <see cref="RequestHeader"/> header, which
/// an HTML form cannot send and a cross-origin script cannot send without a CORS preflight this endpoint
/// never grants. Another site, or a sibling subdomain, cannot make the browser redeem anything.</item>
/// <item>The ticket is authentic and live, and bound to this browser's binding cookie: a ticket captured by a
/// page script is worthless in any other browser, and an attacker's own ticket in the victim's.</item>
/// <item>The browser's session cookie is the one the ticket expects: a stale ticket cannot overwrite a cookie
/// that has moved on.</item>
/// <item>The ticket's nonce is accepted once.</item>
/// </list>
/// Refusals are logged at Debug, and summarized at Information at most once per <see cref="SummaryInterval"/>,
/// so a flood of garbage cannot flood the log.
/// </remarks>
internal sealed class CookieEndpoint(
    SessionCookie cookie,
    BrowserBinding binding,
    SessionCookieTickets tickets,
    TimeProvider time,
    ILogger<CookieEndpoint> logger)
{
    /// <summary>The header a legitimate redemption carries; its value is <see cref="RequestHeaderValue"/>.</summary>
    public const string RequestHeader = "X-TypedSessions";

    /// <summary>The value of <see cref="RequestHeader"/>.</summary>
    public const string RequestHeaderValue = "cookie-ticket";

    /// <summary>The answer to a redeemed ticket, which the circuit reads to tell success from failure.</summary>
    public const string Ok = "ok";

    /// <summary>The answer when the browser's session cookie has moved on since the ticket was made.</summary>
    public const string Stale = "stale";

    private static readonly TimeSpan SummaryInterval = TimeSpan.FromMinutes(1);

    private int _refusedSinceSummary;
    private long _nextSummary;

    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-cache,no-store";
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            response.Headers.Allow = "POST";
            await RefuseAsync(context, StatusCodes.Status405MethodNotAllowed, "not a POST", "method not allowed");
            return;
        }

        if (!IsFromOwnOrigin(context.Request))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "not from the app's own origin", "forbidden");
            return;
        }

        var text = await ReadBodyAsync(context.Request, tickets.MaxTicketLength);
        var reason = "empty or oversized";
        var ticket = text is null ? null : tickets.Read(text.AsSpan().Trim(), out reason);
        if (ticket is null)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, reason, "invalid ticket");
            return;
        }

        if (binding.HashOf(context) is not { } browser || !CryptographicOperations.FixedTimeEquals(browser, ticket.BindingHash))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "made for another browser", "invalid ticket");
            return;
        }

        var holds = cookie.Read(context)?.StoreId;
        if (holds != ticket.BrowserHolds)
        {
            await RefuseAsync(context, StatusCodes.Status409Conflict, "the browser's session cookie has changed since", Stale);
            return;
        }

        if (!tickets.TryRedeem(ticket))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "already redeemed", "invalid ticket");
            return;
        }

        cookie.Apply(context, ticket.Change, ticket.SessionId);
        context.RequestServices.GetRequiredService<SlotCookieJar>().Apply(context, ticket.SlotCookies);
        response.ContentType = "text/plain";
        await response.WriteAsync(Ok, context.RequestAborted);
    }

    // Browsers send Sec-Fetch-Site (all current ones) or at least Origin on a POST; a request with neither
    // is not a browser's, and still needs the custom header, which is what a form cannot send.
    private static bool IsFromOwnOrigin(HttpRequest request) =>
        RequestOrigin.IsSameOrigin(request)
        && string.Equals(request.Headers[RequestHeader].ToString(), RequestHeaderValue, StringComparison.Ordinal);

    private static async Task<string?> ReadBodyAsync(HttpRequest request, int maxLength)
    {
        if (request.ContentLength > maxLength)
        {
            return null;
        }

        var buffer = new byte[maxLength + 1];
        var total = 0;
        try
        {
            int read;
            while (total < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(total), request.HttpContext.RequestAborted)) > 0)
            {
                total += read;
            }
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or OperationCanceledException)
        {
            return null; // a body cut short, too slow or aborted: refused like any other bad body
        }

        // Latin-1 keeps one char per byte whatever the bytes are; the decoder refuses anything outside base64url.
        return total == 0 || total > maxLength ? null : Encoding.Latin1.GetString(buffer, 0, total);
    }

    private async Task RefuseAsync(HttpContext context, int status, string reason, string answer)
    {
        Log.CookieTicketRejected(logger, reason);
        Interlocked.Increment(ref _refusedSinceSummary);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var due = Interlocked.Read(ref _nextSummary);
        if (now >= due && Interlocked.CompareExchange(ref _nextSummary, now + (long)SummaryInterval.TotalMilliseconds, due) == due)
        {
            Log.CookieTicketsRefused(logger, Interlocked.Exchange(ref _refusedSinceSummary, 0), reason);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(answer, context.RequestAborted);
    }
}
