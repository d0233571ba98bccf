using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace TypedSessions.Benchmarks;

/// <summary>How each benchmark sets up the two sessions it compares, in one place so that they measure the same things.</summary>
internal static class Contenders
{
    /// <summary>TypedSessions on its default store, the memory store.</summary>
    public static void AddTypedSessions(IServiceCollection services) => services.AddTypedSessions().UseMemoryStore();

    public static void UseTypedSessions(IApplicationBuilder app) => app.UseTypedSessions();

    /// <summary>ASP.NET Core's session over the distributed memory cache, with its defaults.</summary>
    public static void AddAspNetCoreSession(IServiceCollection services) => services.AddDistributedMemoryCache().AddSession();

    public static void UseAspNetCoreSession(IApplicationBuilder app) => app.UseSession();
}
