using Microsoft.Extensions.DependencyInjection.Extensions;
using TypedSessions;
using Microsoft.AspNetCore.Components.Server.Circuits;
using TypedSessions.Blazor;
using TypedSessions.ClientApi;
using TypedSessions.Core;
using TypedSessions.Hosting;
using TypedSessions.Stores;
using TypedSessions.Users;
using TypedSessions.Diagnostics;
using TypedSessions.Cookies;
using TypedSessions.Stores.Cookie;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers TypedSessions.</summary>
public static class TypedSessionsServiceCollectionExtensions
{
    /// <summary>
    /// Adds typed session state: <see cref="ISession{T}"/> and <see cref="ISessionContext"/> as scoped
    /// services, kept in the memory store unless the returned builder chooses another.
    /// Add <c>app.UseTypedSessions()</c> to the pipeline too.
    /// </summary>
    public static TypedSessionsBuilder AddTypedSessions(this IServiceCollection services, Action<TypedSessionsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TypedSessionsOptions>()
            .Validate(static o => o.IdleTimeout > TimeSpan.Zero, "TypedSessions: IdleTimeout must be positive.")
            .Validate(static o => o.AbsoluteLifetime >= o.IdleTimeout, "TypedSessions: AbsoluteLifetime must be at least IdleTimeout.")
            .Validate(static o => !string.IsNullOrWhiteSpace(o.Cookie.Name), "TypedSessions: the cookie needs a name.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddDataProtection();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SessionMetrics>();
        services.TryAddSingleton<SessionCookie>();
        services.TryAddSingleton<SessionCookieTickets>();
        services.TryAddSingleton<BrowserBinding>();
        services.TryAddSingleton<CookieEndpoint>();
        services.TryAddSingleton<SlotWriteLocks>();
        services.TryAddSingleton<RecentSlots>();
        services.TryAddSingleton<SessionEndedHooks>();
        services.TryAddSingleton<ISessionEndedSink>(static sp => sp.GetRequiredService<SessionEndedHooks>());
        services.TryAddSingleton<SessionDirectory>();
        services.TryAddSingleton<ISessionDirectory>(static sp => sp.GetRequiredService<SessionDirectory>());
        services.TryAddSingleton<ISessionChangeFeed, InProcessSessionChangeFeed>();
        services.AddHttpContextAccessor();
        services.AddAntiforgery();
        services.TryAddSingleton<ClientApiEndpoints>();
        services.TryAddScoped<WebAssemblyHandoff>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitSessionBinder>());
        services.TryAddSingleton<MemorySessionStore>();
        // Parts of the scope's session, which makes them: views of it for whoever asks DI.
        services.TryAddScoped(static sp => sp.GetRequiredService<ActiveSession>().SlotCookies);
        services.TryAddScoped(static sp => sp.GetRequiredService<ActiveSession>().Outbox);
        services.TryAddScoped<CookieSessionStore>();

        // Scoped: the cookie store belongs to its request or circuit (SessionStoreChoice).
        var choice = services.LastOrDefault(static d => d.ServiceType == typeof(SessionStoreChoice))?.ImplementationInstance as SessionStoreChoice;
        if (choice is null)
        {
            choice = new SessionStoreChoice();
            services.AddSingleton(choice);
            services.AddScoped(static sp => sp.GetRequiredService<SessionStoreChoice>().Resolve(sp));
        }

        services.TryAddSingleton<SlotValues>();
        services.TryAddScoped<ActiveSession>();
        services.TryAddScoped<ISessionContext>(static sp => sp.GetRequiredService<ActiveSession>());
        // Transient: a stateless view of the scope's ActiveSession, so it costs the scope no cache entry.
        services.TryAdd(ServiceDescriptor.Transient(typeof(ISession<>), typeof(TypedSession<>)));
        return new TypedSessionsBuilder(services, choice);
    }
}
