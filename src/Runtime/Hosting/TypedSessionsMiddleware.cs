using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedSessions.ClientApi;
using TypedSessions.Core;
using TypedSessions.Users;
using TypedSessions.Cookies;
using TypedSessions.Diagnostics;
using TypedSessions.Http;

namespace TypedSessions.Hosting;

/// <summary>
/// Attaches each request's scope to its session (from the cookie), issues or expires the cookie when
/// the response starts, and turns a store outage, contention or a race with a sign-out into a clear
/// status code. Also hands the cookie endpoint its requests (<see cref="CookieEndpoint"/>), and issues the
/// browser binding cookie before a Blazor circuit connects (<see cref="BrowserBinding"/>).
/// </summary>
internal sealed class TypedSessionsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly SessionCookie _cookie;
    private readonly CookieEndpoint _cookieEndpoint;
    private readonly BrowserBinding _binding;
    private readonly TypedSessionsOptions _options;
    private readonly ClientApiEndpoints _clientApi;
    private readonly RequestSessionHost _host;
    private readonly ILogger<TypedSessionsMiddleware> _logger;

    public TypedSessionsMiddleware(RequestDelegate next, SessionCookie cookie, CookieEndpoint cookieEndpoint, BrowserBinding binding, ClientApiEndpoints clientApi, IOptions<TypedSessionsOptions> options, ILogger<TypedSessionsMiddleware> logger)
    {
        _next = next;
        _cookie = cookie;
        _cookieEndpoint = cookieEndpoint;
        _binding = binding;
        _clientApi = clientApi;
        _host = new RequestSessionHost(options.Value.SessionCreationLimiter);
        _options = options.Value;
        _logger = logger;
        DataProtectionRuntimeCheck.Run(logger);
    }

    public Task InvokeAsync(HttpContext context)
    {
        return context.Request.Path == _options.CookieEndpointPath ? _cookieEndpoint.HandleAsync(context) : RunAsync(context);
    }

    private async Task RunAsync(HttpContext context)
    {
        var session = context.RequestServices.GetRequiredService<ActiveSession>();
        var response = context.Response;
        session.Attach(_cookie.Read(context), _host, context);
        session.SlotCookies.Capture(context, pushed: false);
        session.Outbox.WriteOnResponseStart(context);

        // A Blazor circuit connects after this request: its browser needs a binding cookie to redeem tickets with.
        if (BrowserBinding.IsNegotiateRequest(context) && RequestOrigin.IsSameOrigin(context.Request))
        {
            _binding.EnsureIssued(context);
        }

        try
        {
            var metadata = context.GetEndpoint()?.Metadata;

            // A streamed page sends its headers before it has finished writing: the cookie goes up front.
            if (metadata?.GetMetadata<StreamRenderingAttribute>() is { Enabled: true })
            {
                await session.PrepareForStreamingAsync(context.RequestAborted);
            }

            // A page of Razor components may resume as WebAssembly: what it reads is handed over with it.
            if (_clientApi.Mapped && metadata?.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null)
            {
                context.RequestServices.GetRequiredService<WebAssemblyHandoff>().Register();
            }

            await _next(context);
        }
        catch (SessionStoreUnavailableException e) when (!response.HasStarted)
        {
            Log.StoreUnavailable(_logger, _options.StoreUnavailableStatusCode, e);
            await ProblemAnswer.WriteAsync(context, _options.StoreUnavailableStatusCode, "The session store is unavailable",
                "please try again in a few seconds.", _options.StoreUnavailableRetryAfter);
        }
        catch (SessionRateLimitedException e) when (!response.HasStarted)
        {
            await ProblemAnswer.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many new sessions",
                "this client started too many sessions lately; please try again later.", e.RetryAfter);
        }
        catch (SessionCookieTooLargeException e) when (!response.HasStarted)
        {
            // Nothing was written: the request's data would not fit the cookie store's budget.
            Log.SessionConflict(_logger, StatusCodes.Status413PayloadTooLarge, e.Message);
            await ProblemAnswer.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "The session state is too large",
                "it would not fit in the cookies the session is kept in; nothing was saved.", retryAfter: null);
        }
        catch (Exception e) when (e is SessionConflictException or SessionEndedException && !response.HasStarted)
        {
            // Contention or a race with a sign-out is the client's to retry, not a server error.
            Log.SessionConflict(_logger, _options.ConflictStatusCode, e.Message);
            await ProblemAnswer.WriteAsync(context, _options.ConflictStatusCode, "The session changed meanwhile",
                e is SessionEndedException
                    ? "the session ended while this request was using it; reload to continue."
                    : "the session state was changed by others too often; please try again.",
                retryAfter: null);
        }
    }
}
