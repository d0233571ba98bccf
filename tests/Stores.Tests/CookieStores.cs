using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace TypedSessions.Stores.Tests;

/// <summary>An application's services with every state in the cookie store, as UseCookieStore() sets them up.</summary>
internal static class CookieStores
{
    public static ServiceProvider CreateServices(TimeProvider clock, string? keysDirectory = null, int maxBytes = 6 * 1024)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(clock);
        services.AddTypedSessions(o =>
            {
                o.IdleTimeout = StoreConformanceTests.IdleTimeout;
                o.AbsoluteLifetime = StoreConformanceTests.AbsoluteLifetime;
            })
            .UseCookieStore(o => o.MaxBytes = maxBytes);

        // A key ring of the test's own: in a folder when the test rotates keys, in memory otherwise.
        if (keysDirectory is null)
        {
            services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        }
        else
        {
            services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(keysDirectory)).SetApplicationName("TypedSessions.Tests");
        }

        return services.BuildServiceProvider();
    }
}
