using TypedSessions.Tests.Shared;

namespace TypedSessions.Stores.Tests;

/// <summary>One redis-server for a test class; each test isolates itself with a key prefix of its own.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
