using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TypedSessions.Stores;

namespace TypedSessions.Stores.Tests;

/// <summary>The conformance suite against the memory store, on a manual clock.</summary>
public sealed class MemoryStoreConformanceTests : StoreConformanceTests
{
    private readonly ManualClock _clock = new();

    protected override Task<ISessionStore> CreateStoreAsync()
    {
        var options = Options.Create(new TypedSessionsOptions { IdleTimeout = IdleTimeout, AbsoluteLifetime = AbsoluteLifetime });
        return Task.FromResult<ISessionStore>(new MemorySessionStore(options, Options.Create(new MemorySessionStoreOptions()), _clock, NullLogger<MemorySessionStore>.Instance));
    }

    protected override Task AdvanceTimeAsync(TimeSpan time)
    {
        _clock.Advance(time);
        return Task.CompletedTask;
    }

}
