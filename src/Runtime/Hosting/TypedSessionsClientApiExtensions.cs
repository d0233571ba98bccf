using System.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TypedSessions.ClientApi;
using TypedSessions.Serialization;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoints a Blazor WebAssembly client's <c>ISession&lt;T&gt;</c> talks to.</summary>
public static class TypedSessionsClientApiExtensions
{
    /// <summary>
    /// Maps the client API (under <c>/_typedsessions/api</c> unless <paramref name="prefix"/> says otherwise):
    /// the states marked <c>[SessionState(ClientAccess = ...)]</c>, read, compare-and-set and watched by
    /// WebAssembly and Auto components through <c>AddTypedSessionsWebAssembly()</c>, and the session's renew
    /// and invalidate. Nothing unmarked is reachable; writes need the app's own origin and an anti-forgery token.
    /// </summary>
    /// <returns>The route group, for conventions such as <c>RequireAuthorization</c> or <c>RequireRateLimiting</c>.</returns>
    public static RouteGroupBuilder MapTypedSessionsClientApi(this IEndpointRouteBuilder endpoints, string prefix = SessionClientProtocol.DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var api = endpoints.ServiceProvider.GetService<ClientApiEndpoints>()
            ?? throw new InvalidOperationException("Call services.AddTypedSessions() before app.MapTypedSessionsClientApi().");
        ClientStates.Load(Assembly.GetEntryAssembly());
        return api.Map(endpoints, prefix);
    }
}
