using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace TypedSessions.Stores.Tests;

/// <summary>The conformance suite against the memory store.</summary>
public sealed class MemoryStoreConformanceTests : ServerStoreConformanceTests
{
    protected override Task<ISessionStore> CreateStoreAsync()
    {
        var options = Options.Create(new TypedSessionsOptions { IdleTimeout = IdleTimeout, AbsoluteLifetime = AbsoluteLifetime });
        return Task.FromResult<ISessionStore>(new MemorySessionStore(options, Options.Create(new MemorySessionStoreOptions()), Clock, NullLogger<MemorySessionStore>.Instance, Ended));
    }

    protected override Task SweepAsync()
    {
        ((MemorySessionStore)Store).SweepExpired();
        return Task.CompletedTask;
    }
}
