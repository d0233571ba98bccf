using Microsoft.Extensions.DependencyInjection.Extensions;
using TypedSessions;
using TypedSessions.Testing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the TypedSessions test doubles.</summary>
public static class TestSessionsServiceCollectionExtensions
{
    /// <summary>
    /// Replaces <see cref="ISession{T}"/>, <see cref="ISessionContext"/> and <see cref="ISessionDirectory"/> with the real session core over
    /// one <see cref="TestSessions"/> (its own memory store), which is returned to arrange and assert state. For bUnit:
    /// <c>var session = Services.AddTestSessions(); session.Set(new Cart(...)); Render&lt;Shop&gt;()</c>.
    /// </summary>
    public static TestSessions AddTestSessions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var sessions = new TestSessions();
        services.Replace(ServiceDescriptor.Singleton(_ => sessions)); // a factory: the container disposes it with the test
        services.Replace(ServiceDescriptor.Singleton<ISessionContext>(sessions));
        services.Replace(ServiceDescriptor.Singleton(typeof(ISession<>), typeof(TestSession<>)));
        services.Replace(ServiceDescriptor.Singleton<ISessionDirectory>(sessions.Directory));
        return sessions;
    }
}
