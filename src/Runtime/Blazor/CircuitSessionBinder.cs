using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using TypedSessions.Core;
using TypedSessions.Hosting;

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
/// with a ticket (plain <c>fetch</c> through JS interop, so no script has to be added to the page).
/// </remarks>
internal sealed class CircuitSessionBinder(
    ActiveSession session,
    SlotCookieJar slotCookies,
    IHttpContextAccessor httpContextAccessor,
    SessionCookie cookie,
    SessionCookieTickets tickets,
    IJSRuntime js,
    NavigationManager navigation,
    IOptions<TypedSessionsOptions> options,
    ILogger<CircuitSessionBinder> logger) : CircuitHandler
{
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

            session.Attach(connectionRequest is null ? null : cookie.Read(connectionRequest), static () => true, PushCookieAsync);
            slotCookies.Capture(connectionRequest, static () => true);
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

    private async Task PushCookieAsync(ActiveSession changed, CancellationToken cancellationToken)
    {
        var ticket = tickets.Create(changed.CookieChange, changed.SessionId, slotCookies.TakePending());
        var endpoint = navigation.ToAbsoluteUri(options.Value.CookieEndpointPath.Value!.TrimStart('/')).ToString();
        try
        {
            await using var response = await js.InvokeAsync<IJSObjectReference>(
                "fetch", cancellationToken, endpoint, new FetchInit("POST", "same-origin", ticket)).ConfigureAwait(false);
            var answer = await response.InvokeAsync<string>("text", cancellationToken).ConfigureAwait(false);
            if (answer != "ok")
            {
                throw new InvalidOperationException($"The cookie endpoint answered '{answer}'.");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.CookieDeliveryFailed(logger, changed.CookieChange, changed.LogTag, e);
            throw new InvalidOperationException(
                "The session changed, but its new cookie could not be delivered to the browser (is the circuit connected, and is " +
                $"app.UseTypedSessions() in the pipeline to answer {options.Value.CookieEndpointPath}?).", e);
        }
    }

    // The RequestInit of fetch(): serialized by JS interop with camel-cased names.
    private sealed record FetchInit(string Method, string Credentials, string Body);
}
