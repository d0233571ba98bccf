using TypedSessions;
using TypedSessions.Stores;
using TypedSessions.Stores.Cookie;

// Builders of framework features live beside AddXxx, as IHealthChecksBuilder does.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Chooses where sessions are stored: one default store for every state, and optionally a store of its
/// own for some states. Returned by <c>services.AddTypedSessions()</c>.
/// </summary>
/// <example>
/// <code>
/// services.AddTypedSessions()
///     .UseRedisStore(o => o.Configuration = "127.0.0.1:6379") // every state...
///     .UseCookieStoreFor&lt;Preferences&gt;();                  // ...but the preferences, kept in the browser
/// </code>
/// </example>
public sealed class TypedSessionsBuilder
{
    private readonly SessionStoreChoice _choice;

    internal TypedSessionsBuilder(IServiceCollection services, SessionStoreChoice choice)
    {
        Services = services;
        _choice = choice;
    }

    /// <summary>The application's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Keeps sessions in this process's memory (the default): nothing to install, lost on restart,
    /// not shared between servers; bounded by <see cref="MemorySessionStoreOptions"/>.
    /// </summary>
    public TypedSessionsBuilder UseMemoryStore(Action<MemorySessionStoreOptions>? configure = null)
    {
        if (configure is not null)
        {
            Services.Configure(configure);
        }

        return UseStore(static sp => sp.GetRequiredService<MemorySessionStore>());
    }

    /// <summary>
    /// Keeps every state in the browser, in encrypted cookies bound to the session (see
    /// <see cref="CookieSessionStoreOptions"/> for the size budget). Nothing is stored on the server.
    /// </summary>
    public TypedSessionsBuilder UseCookieStore(Action<CookieSessionStoreOptions>? configure = null)
    {
        ConfigureCookieStore(configure);
        return UseStore(static sp => sp.GetRequiredService<CookieSessionStore>());
    }

    /// <summary>Keeps <typeparamref name="TState"/> in the browser, in an encrypted cookie bound to the session; other states stay where they are.</summary>
    public TypedSessionsBuilder UseCookieStoreFor<TState>(Action<CookieSessionStoreOptions>? configure = null)
        where TState : ISessionState<TState>
    {
        ConfigureCookieStore(configure);
        return UseStoreFor<TState>(static sp => sp.GetRequiredService<CookieSessionStore>());
    }

    /// <summary>
    /// Uses a store of your own (or of another package) for every state that has no store of its own.
    /// The factory runs once per scope (request or circuit); return a singleton unless the store is
    /// bound to the scope.
    /// </summary>
    public TypedSessionsBuilder UseStore(Func<IServiceProvider, ISessionStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _choice.Default = factory;
        return this;
    }

    /// <summary>Keeps <typeparamref name="TState"/> in the store <paramref name="factory"/> returns, whatever the default store is.</summary>
    public TypedSessionsBuilder UseStoreFor<TState>(Func<IServiceProvider, ISessionStore> factory)
        where TState : ISessionState<TState>
    {
        ArgumentNullException.ThrowIfNull(factory);
        _choice.ByKey[TState.SessionKey] = factory;
        return this;
    }

    /// <summary>
    /// Runs <paramref name="hook"/> once for every session that ends: signed out
    /// (<see cref="SessionEndReason.Invalidated"/>), ended from elsewhere (<see cref="SessionEndReason.Revoked"/>),
    /// expired or evicted by its store. Each run gets a service scope of its own. A failing hook is
    /// logged and never breaks a request. How each store reports expiry (and whether at most or at least
    /// once) is in the README.
    /// </summary>
    public TypedSessionsBuilder OnSessionEnded(Func<SessionEndedContext, CancellationToken, ValueTask> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        Services.Configure<TypedSessionsOptions>(o => o.SessionEndedHooks.Add(hook));
        return this;
    }

    private void ConfigureCookieStore(Action<CookieSessionStoreOptions>? configure)
    {
        _choice.UsesCookieStore = true;
        if (configure is not null)
        {
            Services.Configure(configure);
        }
    }
}
