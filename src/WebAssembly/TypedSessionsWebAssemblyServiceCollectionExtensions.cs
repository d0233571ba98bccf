using Microsoft.Extensions.DependencyInjection.Extensions;
using TypedSessions;
using TypedSessions.WebAssembly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers TypedSessions in a Blazor WebAssembly app.</summary>
public static class TypedSessionsWebAssemblyServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ISession{T}"/> and <see cref="ISessionContext"/> for WebAssembly components: the same
    /// code as on the server, over the server's client API (<c>app.MapTypedSessionsClientApi()</c>). Only
    /// states marked <c>[SessionState(ClientAccess = ...)]</c> are reachable.
    /// </summary>
    public static IServiceCollection AddTypedSessionsWebAssembly(this IServiceCollection services, Action<TypedSessionsWebAssemblyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TypedSessionsWebAssemblyOptions>()
            .Validate(static o => o.ApiPrefix.StartsWith('/'), "TypedSessions: ApiPrefix must start with '/'.")
            .Validate(static o => o.BaseAddress is null || o.BaseAddress.IsAbsoluteUri, "TypedSessions: BaseAddress must be absolute.");
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // Scoped: a WebAssembly app has one scope, and PersistentComponentState (the prerender handoff) is scoped.
        services.TryAddScoped<SessionApi>();
        services.TryAddScoped<SessionHub>();
        services.TryAddScoped<ISessionContext, ClientSessionContext>();
        services.TryAdd(ServiceDescriptor.Scoped(typeof(ISession<>), typeof(ClientSession<>)));
        return services;
    }
}
