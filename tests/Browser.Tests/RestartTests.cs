using System.Net;

namespace TypedSessions.Browser.Tests;

/// <summary>The sample on SQLite: its sessions outlive the process.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("typedsessions-restart-").FullName;

    private Dictionary<string, string> Settings => new()
    {
        ["TypedSessions:Store"] = "sqlite",
        ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(_directory, "sessions.db")}",
        ["TypedSessions:KeysPath"] = Path.Combine(_directory, "keys"),
    };

    [Fact]
    public async Task A_session_on_sqlite_survives_a_restart_of_the_app()
    {
        var cookies = new CookieContainer();
        var first = await SampleApp.StartAsync(Settings);
        var port = first.Port;
        using (var http = CartApiClient.Create(first.BaseAddress, cookies))
        {
            await CartApiClient.AddAsync(http, "kettle");
            await CartApiClient.AddAsync(http, "mug");
        }

        await first.DisposeAsync();
        await using var second = await SampleApp.StartAsync(Settings, port);
        using var again = CartApiClient.Create(second.BaseAddress, cookies);
        var cart = await CartApiClient.GetAsync(again);

        Assert.Equal(2, cart.Items);
        Assert.Equal(["kettle", "mug"], cart.Skus);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
