using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedSessions.Tests.Shared;

namespace TypedSessions.Stores.Tests;

/// <summary>The health check (<c>AddHealthChecks().AddTypedSessions()</c>) against a real Redis that stops and comes back.</summary>
public sealed class RedisHealthTests
{
    [Fact]
    public async Task The_health_endpoint_is_unhealthy_while_redis_is_stopped_and_healthy_again_when_it_is_back()
    {
        var redis = await RedisServer.StartAsync();
        var port = redis.Port;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddTypedSessions().UseRedisStore(o =>
        {
            o.Configuration = redis.Configuration;
            o.KeyPrefix = RedisStores.NewPrefix();
            o.OperationTimeout = TimeSpan.FromSeconds(1);
        });
        builder.Services.AddHealthChecks().AddTypedSessions();
        await using var app = builder.Build();
        app.UseTypedSessions();
        app.MapHealthChecks("/health");
        await app.StartAsync();
        using var client = app.GetTestServer().CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        await redis.DisposeAsync();
        var down = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("Unhealthy", await down.Content.ReadAsStringAsync());

        await using var back = await RedisServer.StartAsync(port);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        HttpStatusCode status;
        while ((status = (await client.GetAsync("/health")).StatusCode) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(HttpStatusCode.OK, status);
        await app.StopAsync();
    }
}
