using Microsoft.Extensions.DependencyInjection;
using TypedSessions.Redis;

namespace TypedSessions.Stores.Tests;

/// <summary>The conformance suite against a real redis-server, on a manual clock.</summary>
public sealed class RedisStoreConformanceTests(RedisServerFixture redis) : StoreConformanceTests, IClassFixture<RedisServerFixture>
{
    private readonly ManualClock _clock = new();
    private ServiceProvider? _services;

    protected override Task<ISessionStore> CreateStoreAsync()
    {
        _services = RedisStores.CreateServer(redis.Server.Configuration, RedisStores.NewPrefix(), _clock);
        return Task.FromResult<ISessionStore>(_services.GetRequiredService<RedisSessionStore>());
    }

    protected override Task AdvanceTimeAsync(TimeSpan time)
    {
        _clock.Advance(time);
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}
