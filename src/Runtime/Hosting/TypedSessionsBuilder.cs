using Microsoft.Extensions.DependencyInjection.Extensions;
using TypedSessions.Stores;

// Builders of framework features live beside AddXxx, as IHealthChecksBuilder does.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses where sessions are stored. Returned by <c>services.AddTypedSessions()</c>.</summary>
public sealed class TypedSessionsBuilder
{
    internal TypedSessionsBuilder(IServiceCollection services) => Services = services;

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

    /// <summary>Uses a store of your own (or of another package) for every state.</summary>
    public TypedSessionsBuilder UseStore(Func<IServiceProvider, ISessionStore> factory)
    {
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }
}
