using Microsoft.Extensions.DependencyInjection;
using TypedSessions.Redis;

namespace TypedSessions.Stores.Tests;

/// <summary>The conformance suite against a real redis-server.</summary>
public sealed class RedisStoreConformanceTests(RedisServerFixture redis) : ServerStoreConformanceTests, IClassFixture<RedisServerFixture>
{
    protected override Task<ISessionStore> CreateStoreAsync()
    {
        var services = Own(RedisStores.CreateServer(redis.Server.Configuration, RedisStores.NewPrefix(), Clock, ended: Ended));
        return Task.FromResult<ISessionStore>(services.GetRequiredService<RedisSessionStore>());
    }

    protected override Task SweepAsync() => ((RedisSessionStore)Store).SweepExpiredAsync();
}
