using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace TypedSessions.ClientApi;

/// <summary>The client API's routes under one prefix, and whether the app mapped them.</summary>
internal sealed class ClientApiEndpoints
{
    /// <summary>Whether <c>MapTypedSessionsClientApi</c> was called: prerendered pages then hand states to WebAssembly.</summary>
    public bool Mapped { get; private set; }

    public RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string prefix)
    {
        Mapped = true;
        var group = endpoints.MapGroup(prefix);
        group.MapGet("/state/{key}", ClientStateEndpoints.GetAsync);
        group.MapPut("/state/{key}", ClientStateEndpoints.PutAsync);
        group.MapDelete("/state/{key}", ClientStateEndpoints.DeleteAsync);
        group.MapGet("/events", ClientEventStream.RunAsync);
        group.MapGet("/session", ClientSessionEndpoints.GetAsync);
        group.MapPost("/session/renew", ClientSessionEndpoints.RenewAsync);
        group.MapPost("/session/invalidate", ClientSessionEndpoints.InvalidateAsync);
        group.MapPost("/session/invalidate-others", ClientSessionEndpoints.InvalidateOthersAsync);
        group.MapGet("/antiforgery", ClientSessionEndpoints.AntiforgeryAsync);
        return group;
    }
}
