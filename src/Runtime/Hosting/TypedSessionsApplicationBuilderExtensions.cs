using Microsoft.Extensions.DependencyInjection;
using TypedSessions.Core;
using TypedSessions.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the TypedSessions middleware.</summary>
public static class TypedSessionsApplicationBuilderExtensions
{
    /// <summary>
    /// Attaches every request to its session. Place it before the endpoints that use sessions
    /// (after UseRouting, when that is called explicitly).
    /// </summary>
    public static IApplicationBuilder UseTypedSessions(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService<IServiceProviderIsService>() is { } services
            && !services.IsService(typeof(ActiveSession)))
        {
            throw new InvalidOperationException("Call services.AddTypedSessions() before app.UseTypedSessions().");
        }

        return app.UseMiddleware<TypedSessionsMiddleware>();
    }
}
