using Microsoft.Extensions.DependencyInjection;

namespace TypedSessions.Stores;

/// <summary>
/// Which store keeps which state, as chosen on <c>TypedSessionsBuilder</c>: a default store for every
/// state, and a store of its own for some states (preferences in the cookie, the cart in Redis...).
/// </summary>
/// <remarks>
/// Stores are resolved per scope (a request or a circuit): server stores are singletons, but the cookie
/// store belongs to the scope whose cookies it reads and writes.
/// </remarks>
internal sealed class SessionStoreChoice
{
    public Func<IServiceProvider, ISessionStore> Default { get; set; } = static sp => sp.GetRequiredService<MemorySessionStore>();

    public Dictionary<string, Func<IServiceProvider, ISessionStore>> ByKey { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether any state is kept in the cookie store: only then are slot cookies read from requests.</summary>
    public bool UsesCookieStore { get; set; }

    /// <summary>The store a scope uses: the default alone, or a router over the default and the per-state stores.</summary>
    public ISessionStore Resolve(IServiceProvider services)
    {
        var fallback = Default(services);
        if (ByKey.Count == 0)
        {
            return fallback;
        }

        var routes = new Dictionary<string, ISessionStore>(ByKey.Count, StringComparer.Ordinal);
        foreach (var (key, factory) in ByKey)
        {
            routes[key] = factory(services);
        }

        return new RoutedSessionStore(fallback, routes);
    }
}
