using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedSessions.Core;

namespace TypedSessions.Hosting;

/// <summary>
/// Attaches each request's scope to its session (from the cookie), issues or expires the cookie when
/// the response starts, and turns a store outage into a clear status code.
/// </summary>
internal sealed class TypedSessionsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly SessionCookie _cookie;
    private readonly TypedSessionsOptions _options;
    private readonly ILogger<TypedSessionsMiddleware> _logger;

    public TypedSessionsMiddleware(RequestDelegate next, SessionCookie cookie, IOptions<TypedSessionsOptions> options, ILogger<TypedSessionsMiddleware> logger)
    {
        _next = next;
        _cookie = cookie;
        _options = options.Value;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var session = context.RequestServices.GetRequiredService<ActiveSession>();
        var response = context.Response;
        session.Attach(_cookie.Read(context), () => !response.HasStarted);
        var cookieState = new CookieState(context, session, _cookie);
        response.OnStarting(static state => ((CookieState)state).Apply(), cookieState);

        try
        {
            await _next(context);
        }
        catch (SessionStoreUnavailableException e) when (!response.HasStarted)
        {
            Log.StoreUnavailable(_logger, _options.StoreUnavailableStatusCode, e);
            response.Clear();
            response.StatusCode = _options.StoreUnavailableStatusCode;
            response.Headers.RetryAfter = "5";
        }
    }

    private sealed class CookieState(HttpContext context, ActiveSession session, SessionCookie cookie)
    {
        public Task Apply()
        {
            switch (session.CookieChange)
            {
                case SessionCookieChange.Issue:
                    cookie.Issue(context, session.SessionId);
                    break;
                case SessionCookieChange.Delete:
                    cookie.Delete(context);
                    break;
            }

            return Task.CompletedTask;
        }
    }
}
