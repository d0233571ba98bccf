using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedSessions.Core;

namespace TypedSessions.Hosting;

/// <summary>
/// Attaches each request's scope to its session (from the cookie), issues or expires the cookie when
/// the response starts, and turns a store outage into a clear status code. Also answers the cookie
/// endpoint, where Blazor circuits' browsers collect cookie changes (<see cref="SessionCookieTickets"/>).
/// </summary>
internal sealed class TypedSessionsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly SessionCookie _cookie;
    private readonly SessionCookieTickets _tickets;
    private readonly TypedSessionsOptions _options;
    private readonly ILogger<TypedSessionsMiddleware> _logger;

    public TypedSessionsMiddleware(RequestDelegate next, SessionCookie cookie, SessionCookieTickets tickets, IOptions<TypedSessionsOptions> options, ILogger<TypedSessionsMiddleware> logger)
    {
        _next = next;
        _cookie = cookie;
        _tickets = tickets;
        _options = options.Value;
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        return context.Request.Path == _options.CookieEndpointPath ? ExchangeTicketAsync(context) : RunAsync(context);
    }

    private async Task RunAsync(HttpContext context)
    {
        var session = context.RequestServices.GetRequiredService<ActiveSession>();
        var response = context.Response;
        Func<bool> canChangeCookies = () => !response.HasStarted;
        session.Attach(_cookie.Read(context), canChangeCookies);
        var slotCookies = context.RequestServices.GetRequiredService<SlotCookieJar>();
        slotCookies.Capture(context, canChangeCookies);
        var cookieState = new CookieState(context, session, _cookie, slotCookies);
        response.OnStarting(static state => ((CookieState)state).Apply(), cookieState);

        try
        {
            // A streamed page sends its headers before it has finished writing: the cookie goes up front.
            if (context.GetEndpoint()?.Metadata.GetMetadata<StreamRenderingAttribute>() is { Enabled: true })
            {
                await session.PrepareForStreamingAsync(context.RequestAborted);
            }

            await _next(context);
        }
        catch (SessionStoreUnavailableException e) when (!response.HasStarted)
        {
            Log.StoreUnavailable(_logger, _options.StoreUnavailableStatusCode, e);
            response.Clear();
            response.StatusCode = _options.StoreUnavailableStatusCode;
            response.Headers.RetryAfter = "5";

            // A body of its own, so that status code pages (UseStatusCodePagesWithReExecute) leave the
            // answer alone rather than re-running the request as a page that needs the store too.
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync("The session store is unavailable; please try again in a few seconds.", context.RequestAborted);
        }
    }

    // POST with a ticket as the body: sets or deletes the cookie it orders. Answers "ok" so that the
    // circuit, which cannot see the status through JS interop, can tell success from failure.
    private async Task ExchangeTicketAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-cache,no-store";
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "POST";
            return;
        }

        var ticket = await ReadTicketAsync(context.Request);
        string? reason = "empty or oversized";
        var order = ticket is null ? null : _tickets.Read(ticket, out reason);
        if (order is null)
        {
            Log.CookieTicketRejected(_logger, reason ?? "unknown");
            response.StatusCode = StatusCodes.Status400BadRequest;
            await response.WriteAsync("invalid ticket", context.RequestAborted);
            return;
        }

        _cookie.Apply(context, order.Change, order.SessionId);
        context.RequestServices.GetRequiredService<SlotCookieJar>().Apply(context, order.SlotCookies);

        response.ContentType = "text/plain";
        await response.WriteAsync("ok", context.RequestAborted);
    }

    private async Task<string?> ReadTicketAsync(HttpRequest request)
    {
        var maxLength = _tickets.MaxTicketLength;
        if (request.ContentLength > maxLength)
        {
            return null;
        }

        var buffer = new byte[maxLength + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(total), request.HttpContext.RequestAborted)) > 0)
        {
            total += read;
        }

        return total == 0 || total > maxLength ? null : Encoding.ASCII.GetString(buffer, 0, total).Trim();
    }

    private sealed class CookieState(HttpContext context, ActiveSession session, SessionCookie cookie, SlotCookieJar slotCookies)
    {
        public Task Apply()
        {
            if (slotCookies.HasPending)
            {
                slotCookies.Apply(context, slotCookies.TakePending());
            }

            cookie.Apply(context, session.CookieChange, session.SessionId);
            return Task.CompletedTask;
        }
    }
}
