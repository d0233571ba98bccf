using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using TypedSessions.Redis;
using TypedSessions.Tests.Shared;

namespace TypedSessions.Stores.Tests;

/// <summary>What only Redis has: TTLs, outages of a real server, and change notices between servers.</summary>
public sealed class RedisStoreTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private readonly ManualClock _clock = new();

    private static SessionStoreId NewSession() => SessionStoreId.FromSessionId(Guid.NewGuid().ToByteArray());

    [Fact]
    public async Task A_session_key_expires_in_redis_by_its_ttl_and_a_touch_extends_it()
    {
        await using var services = RedisStores.CreateServer(redis.Server.Configuration, RedisStores.NewPrefix(), _clock);
        var store = services.GetRequiredService<RedisSessionStore>();
        var session = NewSession();
        await store.SaveAsync(session, "a", new byte[] { 1 }, StoredSlot.Absent, createSession: true, CancellationToken.None);
        using var raw = await ConnectRawAsync();

        var ttl = await raw.GetDatabase().KeyTimeToLiveAsync(store.Key(session));
        _clock.Advance(TimeSpan.FromMinutes(100)); // 20 minutes short of the 2-hour lifetime
        await store.TouchAsync(session, CancellationToken.None);
        var ttlNearLifetime = await raw.GetDatabase().KeyTimeToLiveAsync(store.Key(session));

        Assert.InRange(ttl!.Value, StoreConformanceTests.IdleTimeout - TimeSpan.FromSeconds(5), StoreConformanceTests.IdleTimeout);
        Assert.InRange(ttlNearLifetime!.Value, TimeSpan.FromMinutes(20) - TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(20));
    }

    [Fact]
    public async Task The_store_keeps_only_the_hash_of_the_session_id()
    {
        await using var services = RedisStores.CreateServer(redis.Server.Configuration, RedisStores.NewPrefix(), _clock);
        var store = services.GetRequiredService<RedisSessionStore>();
        var sessionId = Guid.NewGuid().ToByteArray();
        var session = SessionStoreId.FromSessionId(sessionId);
        await store.SaveAsync(session, "a", new byte[] { 1 }, StoredSlot.Absent, createSession: true, CancellationToken.None);
        using var raw = await ConnectRawAsync();

        var keys = ((string[])(await raw.GetDatabase().ScriptEvaluateAsync("return redis.call('KEYS', '*')"))!).ToList();

        Assert.Contains(store.Key(session).ToString(), keys);
        Assert.DoesNotContain(keys, k => k.Contains(Convert.ToBase64String(sessionId).TrimEnd('='), StringComparison.Ordinal)
            || k.Contains(Convert.ToHexString(sessionId), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_server_that_is_down_gives_a_typed_error_and_the_store_works_again_once_it_is_back()
    {
        var own = await RedisServer.StartAsync();
        await using var services = RedisStores.CreateServer(own.Configuration, RedisStores.NewPrefix(), _clock, TimeSpan.FromSeconds(2));
        var store = services.GetRequiredService<RedisSessionStore>();
        var session = NewSession();
        await store.SaveAsync(session, "a", new byte[] { 1 }, StoredSlot.Absent, createSession: true, CancellationToken.None);

        await own.DisposeAsync();
        var error = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () =>
            await store.LoadAsync(session, ["a"], CancellationToken.None));
        Assert.Contains("Redis", error.Message, StringComparison.Ordinal);

        // Back on the same port (empty: the test server keeps nothing on disk); the client reconnects by itself.
        await using var restarted = await RedisServer.StartAsync(own.Port);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await store.SaveAsync(session, "a", new byte[] { 2 }, StoredSlot.AnyVersion, createSession: true, CancellationToken.None);
                break;
            }
            catch (SessionStoreUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }

        Assert.Equal(new byte[] { 2 }, (await store.LoadAsync(session, ["a"], CancellationToken.None)).Slots[0]!.Value.Data.ToArray());
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_with_a_typed_error()
    {
        var own = await RedisServer.StartAsync();
        try
        {
            await using var services = RedisStores.CreateServer(own.Configuration, RedisStores.NewPrefix(), _clock, TimeSpan.FromSeconds(1));
            var store = services.GetRequiredService<RedisSessionStore>();
            var session = NewSession();
            await store.SaveAsync(session, "a", new byte[] { 1 }, StoredSlot.Absent, createSession: true, CancellationToken.None);

            await own.PauseAsync();
            var watch = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () =>
                await store.SaveAsync(session, "a", new byte[] { 2 }, StoredSlot.AnyVersion, createSession: true, CancellationToken.None));

            Assert.IsAssignableFrom<TimeoutException>(error.InnerException);
            Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_change_published_on_one_server_reaches_the_listeners_of_another_once()
    {
        var prefix = RedisStores.NewPrefix();
        await using var serverA = RedisStores.CreateServer(redis.Server.Configuration, prefix, _clock);
        await using var serverB = RedisStores.CreateServer(redis.Server.Configuration, prefix, _clock);
        var feedA = serverA.GetRequiredService<ISessionChangeFeed>();
        var feedB = serverB.GetRequiredService<ISessionChangeFeed>();
        Assert.IsType<RedisSessionChangeFeed>(feedA);
        await ((RedisSessionChangeFeed)feedA).StartAsync();
        await ((RedisSessionChangeFeed)feedB).StartAsync();
        var session = NewSession();
        var seenOnA = new ConcurrentQueue<SessionChange>();
        var seenOnB = new ConcurrentQueue<SessionChange>();
        var arrivedOnB = new TaskCompletionSource<SessionChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onA = feedA.Subscribe(session, seenOnA.Enqueue);
        using var onB = feedB.Subscribe(session, change =>
        {
            seenOnB.Enqueue(change);
            arrivedOnB.TrySetResult(change);
        });
        using var otherSession = feedB.Subscribe(NewSession(), _ => Assert.Fail("a notice reached another session's listener"));

        feedA.Publish(new SessionChange(session, "cart", 42));
        var received = await arrivedOnB.Task.WaitAsync(TimeSpan.FromSeconds(5));
        feedA.Publish(new SessionChange(session, null, StoredSlot.Absent));
        await WaitForAsync(() => seenOnB.Count == 2);
        await Task.Delay(200); // a notice echoed back to its own server would arrive by now

        Assert.Equal(new SessionChange(session, "cart", 42), received);
        Assert.Equal(new SessionChange(session, null, StoredSlot.Absent), seenOnB.Last());
        Assert.Equal(2, seenOnA.Count);
    }

    [Fact]
    public async Task A_save_publishes_its_change_notice_in_its_own_script_once_and_the_feed_does_not_publish_it_again()
    {
        var prefix = RedisStores.NewPrefix();
        await using var serverA = RedisStores.CreateServer(redis.Server.Configuration, prefix, _clock);
        await using var serverB = RedisStores.CreateServer(redis.Server.Configuration, prefix, _clock);
        var store = serverA.GetRequiredService<RedisSessionStore>();
        var feedA = serverA.GetRequiredService<RedisSessionChangeFeed>();
        var feedB = serverB.GetRequiredService<RedisSessionChangeFeed>();
        await feedA.StartAsync();
        await feedB.StartAsync();
        using var raw = await ConnectRawAsync();
        var onChannel = new ConcurrentQueue<byte[]>();
        await raw.GetSubscriber().SubscribeAsync(RedisChannel.Literal(prefix + "changes"), (_, message) => onChannel.Enqueue((byte[])message!));
        var session = NewSession();
        var seenOnA = new ConcurrentQueue<SessionChange>();
        var seenOnB = new ConcurrentQueue<SessionChange>();
        using var onA = feedA.Subscribe(session, seenOnA.Enqueue);
        using var onB = feedB.Subscribe(session, seenOnB.Enqueue);

        // As the runtime does: the save, then the notice to the feed (delivered here, not published again).
        var saved = await store.SaveAsync(session, "cart-é", new byte[] { 1, 2 }, StoredSlot.Absent, createSession: true, CancellationToken.None);
        feedA.Publish(new SessionChange(session, "cart-é", saved.Version));
        await WaitForAsync(() => !seenOnB.IsEmpty && !onChannel.IsEmpty);
        await Task.Delay(300); // a second publication would arrive by now

        Assert.True(saved.Saved);
        Assert.Equal([new SessionChange(session, "cart-é", saved.Version)], seenOnB);
        Assert.Equal([new SessionChange(session, "cart-é", saved.Version)], seenOnA);
        Assert.Single(onChannel);

        // The save alone reaches the other server: the notice travels with the write.
        var second = await store.SaveAsync(session, "cart-é", new byte[] { 3 }, saved.Version, createSession: false, CancellationToken.None);
        await WaitForAsync(() => seenOnB.Count == 2);
        Assert.Equal(new SessionChange(session, "cart-é", second.Version), seenOnB.Last());

        // A refused save publishes nothing.
        Assert.False((await store.SaveAsync(session, "cart-é", new byte[] { 4 }, StoredSlot.Absent, createSession: false, CancellationToken.None)).Saved);
        await Task.Delay(300);
        Assert.Equal(2, onChannel.Count);
    }

    [Fact]
    public async Task The_store_can_use_the_applications_own_connection_given_or_from_services_and_leaves_it_open()
    {
        using var connection = await ConnectRawAsync();
        var prefix = RedisStores.NewPrefix();
        var given = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(_clock)
            .AddTypedSessions().UseRedisStore(connection, o => o.KeyPrefix = prefix).Services.BuildServiceProvider();
        var fromServices = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(_clock)
            .AddSingleton<IConnectionMultiplexer>(connection)
            .AddTypedSessions().UseRedisStore(sp => sp.GetRequiredService<IConnectionMultiplexer>(), o =>
            {
                o.KeyPrefix = prefix;
                o.Configuration = "127.0.0.1:1"; // ignored: the connection is the application's
            })
            .Services.BuildServiceProvider();
        var session = NewSession();

        await using (given)
        {
            await given.GetRequiredService<RedisSessionStore>().SaveAsync(session, "a", new byte[] { 7 }, StoredSlot.Absent, createSession: true, CancellationToken.None);
        }

        await using (fromServices)
        {
            var loaded = await fromServices.GetRequiredService<RedisSessionStore>().LoadAsync(session, ["a"], CancellationToken.None);
            Assert.Equal(new byte[] { 7 }, loaded.Slots[0]!.Value.Data.ToArray());
        }

        Assert.True(connection.IsConnected);
        Assert.True(await connection.GetDatabase().KeyExistsAsync(prefix + "s:" + session));
    }

    // A plain client for looking into the server. Only async calls: a synchronous one (SCAN) timed out
    // after its 1 s sync timeout on a machine busy with parallel tests.
    private Task<ConnectionMultiplexer> ConnectRawAsync() => ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }
}
