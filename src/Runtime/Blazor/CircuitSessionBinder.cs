using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using TypedSessions.Core;
using TypedSessions.Stores;
using TypedSessions.Users;
using TypedSessions.Cookies;
using TypedSessions.Diagnostics;

namespace TypedSessions.Blazor;

/// <summary>
/// Attaches a Blazor Server circuit's scope to the browser's session, and carries the circuit's cookie
/// changes back to the browser.
/// </summary>
/// <remarks>
/// The session ID is read from the cookie of the circuit's own connection request (the WebSocket or
/// long-polling request to the hub), which <see cref="IHttpContextAccessor"/> exposes while the
/// circuit starts, and never from a prerender's HttpContext. A circuit has no response to set a
/// cookie on: when its session gets a new ID or ends, it has the browser call the cookie endpoint
/// with a ticket (plain <c>fetch</c> through JS interop, so no script has to be added to the page). The
/// ticket is bound to the browser's binding cookie and to the session cookie the browser holds, both
/// read from the connection request and followed as the circuit's pushes change them
/// (<see cref="SessionCookieTickets"/>).
/// </remarks>
internal sealed class CircuitSessionBinder(
    ActiveSession session,
    SlotCookieJar slotCookies,
    CookieOutbox outbox,
    IHttpContextAccessor httpContextAccessor,
    SessionCookie cookie,
    BrowserBinding binding,
    SessionCookieTickets tickets,
    IJSRuntime js,
    NavigationManager navigation,
    IOptions<TypedSessionsOptions> options,
    ILogger<CircuitSessionBinder> logger) : CircuitHandler
{
    // What this circuit's browser has: the hash of its binding cookie, and the session its cookie names.
    private byte[]? _bindingHash;
    private SessionStoreId? _browserHolds;

    // Before the framework's own handlers, so the session is attached before anything can use it.
    public override int Order => -1000;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (!session.IsAttached)
        {
            var connectionRequest = httpContextAccessor.HttpContext;
            if (connectionRequest is null)
            {
                Log.CircuitWithoutRequest(logger);
            }
            else if (!RequestOrigin.IsSameOrigin(connectionRequest.Request))
            {
                // A page of another origin (a sibling subdomain, another port) opened this circuit with the
                // browser's cookies: it must not drive the user's session. It gets a pre-session of its own.
                Log.CircuitFromAnotherOrigin(logger);
                connectionRequest = null;
            }

            var sessionId = connectionRequest is null ? null : cookie.Read(connectionRequest);
            _browserHolds = sessionId?.StoreId;
            _bindingHash = connectionRequest is null ? null : binding.HashOf(connectionRequest);
            var device = DeviceLabel.From(connectionRequest?.Request.Headers.UserAgent);
            session.Attach(sessionId, new CircuitSessionHost(this, device));
            slotCookies.Capture(connectionRequest, pushed: true);
        }

        return Task.CompletedTask;
    }

    // User activity keeps the session alive, as requests do; the refresh itself is throttled.
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            if (session.IsAttached)
            {
                try
                {
                    await session.KeepAliveAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (SessionStoreUnavailableException)
                {
                    // Already logged; the activity itself must still run (and will meet the outage itself if it uses the session).
                }
            }

            await next(context).ConfigureAwait(false);
        };

    internal async Task PushCookieAsync(ActiveSession changed, CancellationToken cancellationToken)
    {
        if (_bindingHash is null)
        {
            throw new InvalidOperationException(
                "The session's cookie must change, but this circuit's browser has no binding cookie to receive it with: it is issued on " +
                "the response to the circuit's SignalR negotiate request. Is app.UseTypedSessions() in the pipeline before the Blazor " +
                "endpoints, and does the circuit negotiate (SkipNegotiation is not supported)?");
        }

        var pending = outbox.Take();
        var change = pending.SessionChange;
        var ticket = tickets.Create(change, pending.SessionId, _browserHolds, _bindingHash, pending.SlotCookies);
        var endpoint = navigation.ToAbsoluteUri(options.Value.CookieEndpointPath.Value!.TrimStart('/')).ToString();
        try
        {
            var init = new FetchInit("POST", "same-origin", "no-store", new Dictionary<string, string> { [CookieEndpoint.RequestHeader] = CookieEndpoint.RequestHeaderValue }, ticket);
            await using var response = await js.InvokeAsync<IJSObjectReference>("fetch", cancellationToken, endpoint, init).ConfigureAwait(false);
            var answer = await response.InvokeAsync<string>("text", cancellationToken).ConfigureAwait(false);
            if (answer == CookieEndpoint.Stale)
            {
                throw new SessionEndedException(
                    "This browser's session cookie changed in another tab or window (signed in or out) while this circuit was using the " +
                    "old one; the circuit's change was not applied to the browser. Reload the page to continue.");
            }

            if (answer != CookieEndpoint.Ok)
            {
                throw new InvalidOperationException($"The cookie endpoint answered '{answer}'.");
            }

            _browserHolds = change switch
            {
                SessionCookieChange.Issue => SessionStoreId.FromSessionId(pending.SessionId),
                SessionCookieChange.Delete => null,
                _ => _browserHolds,
            };
        }
        catch (SessionEndedException e)
        {
            outbox.PutBack(pending); // still owed: the next change tries again
            Log.CookieDeliveryFailed(logger, change.ToString(), changed.LogTag, e);
            throw;
        }
        catch (OperationCanceledException)
        {
            outbox.PutBack(pending);
            throw;
        }
        catch (Exception e)
        {
            outbox.PutBack(pending);
            Log.CookieDeliveryFailed(logger, change.ToString(), changed.LogTag, e);
            throw new InvalidOperationException(
                "The session changed, but its new cookie could not be delivered to the browser (is the circuit connected, and is " +
                $"app.UseTypedSessions() in the pipeline to answer {options.Value.CookieEndpointPath}?).", e);
        }
    }

    // The RequestInit of fetch(): serialized by JS interop with camel-cased names.
    private sealed record FetchInit(string Method, string Credentials, string Cache, Dictionary<string, string> Headers, string Body);
}

/// <summary>A circuit as the host of its scope's session: cookie changes are pushed to the browser as they happen.</summary>
internal sealed class CircuitSessionHost(CircuitSessionBinder binder, string? device) : SessionHost
{
    public override bool CanChangeCookie(object? state) => true;

    public override bool PushesCookies => true;

    public override string? Device(object? state) => device;

    public override Task PushCookieAsync(ActiveSession session, CancellationToken cancellationToken) =>
        binder.PushCookieAsync(session, cancellationToken);
}
