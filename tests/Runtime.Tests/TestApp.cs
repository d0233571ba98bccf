using TypedSessions.Tests.Shared;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedSessions.Stores;
using TypedSessions.Cookies;

namespace TypedSessions.Runtime.Tests;

/// <summary>
/// A small application on a TestServer with endpoints over the test states, and clients that carry
/// cookies from response to request as a browser does.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestApp(WebApplication app, CountingStore store, ManualClock time, ListLogger logs)
    {
        _app = app;
        Store = store;
        Time = time;
        Logs = logs;
    }

    public CountingStore Store { get; }

    public ManualClock Time { get; }

    public ListLogger Logs { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestApp> StartAsync(
        Action<TypedSessionsOptions>? configure = null,
        ISessionStore? store = null,
        bool https = false,
        Action<TypedSessionsBuilder>? stores = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? endpoints = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer(o => o.BaseAddress = new Uri(https ? "https://localhost/" : "http://localhost/"));
        var time = new ManualClock();
        var logs = new ListLogger();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<TimeProvider>(time);
        var sessions = builder.Services.AddTypedSessions(configure);
        CountingStore? counting = null;
        sessions.UseStore(sp => counting ??= new CountingStore(store ?? sp.GetRequiredService<MemorySessionStore>()));
        stores?.Invoke(sessions);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseTypedSessions();
        app.MapGet("/counter", async (ISession<Counter> c) => (await c.GetAsync()).Value);
        app.MapPost("/counter/increment", async (ISession<Counter> c) => (await c.UpdateAsync(static x => x with { Value = x.Value + 1 })).Value);
        app.MapPost("/counter/set/{value:int}", async (int value, ISession<Counter> c) => { await c.SetAsync(new Counter(value)); return value; });
        app.MapPost("/counter/reset", async (ISession<Counter> c) => { await c.ResetAsync(); return 0; });
        app.MapGet("/note", async (ISession<Note> n) => (await n.GetAsync()).Text);
        app.MapPost("/note/{text}", async (string text, ISession<Note> n) => { await n.SetAsync(new Note(text)); return text; });
        app.MapPost("/renew", async (ISessionContext s) => { await s.RenewAsync(); return "renewed"; });
        app.MapPost("/invalidate", async (ISessionContext s) => { await s.InvalidateAsync(); return "invalidated"; });
        app.MapGet("/is-new", (ISessionContext s) => s.IsNew);
        endpoints?.Invoke(app);
        await app.StartAsync();
        using (var scope = app.Services.CreateScope())
        {
            _ = scope.ServiceProvider.GetRequiredService<ISessionStore>();
        }

        return new TestApp(app, counting!, time, logs);
    }

    /// <summary>The raw session ID carried by <paramref name="client"/>'s cookie, as the middleware reads it.</summary>
    public byte[] SessionIdOf(CookieClient client)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = $"TypedSessions={client.SessionCookie()!.Value}";
        var id = _app.Services.GetRequiredService<Cookies.SessionCookie>().Read(context);
        Assert.NotNull(id);
        return id.Value.SessionId;
    }

    /// <summary>A client with its own cookie jar (one browser).</summary>
    public CookieClient NewClient() => new(_app.GetTestServer());

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>An HTTP client over the test server that keeps cookies like a browser.</summary>
internal sealed class CookieClient(TestServer server)
{
    public CookieContainer Cookies { get; } = new();

    public HttpResponseMessage? LastResponse { get; private set; }

    public async Task<string> GetAsync(string path) => await SendAsync(HttpMethod.Get, path);

    public async Task<string> PostAsync(string path) => await SendAsync(HttpMethod.Post, path);

    /// <summary>Posts <paramref name="body"/> as text and returns the answer, asserting success.</summary>
    public async Task<string> PostContentAsync(string path, string body)
    {
        var response = await SendRawAsync(HttpMethod.Post, path, body);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {answer}");
        return answer;
    }

    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string? body = null, Action<HttpRequestMessage>? configure = null)
    {
        var uri = new Uri(server.BaseAddress, path);
        var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new StringContent(body);
        }

        configure?.Invoke(request);

        var header = Cookies.GetCookieHeader(uri);
        if (header.Length > 0)
        {
            request.Headers.Add("Cookie", header);
        }

        using var client = server.CreateClient();
        var response = await client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                Cookies.SetCookies(uri, setCookie);
            }
        }

        LastResponse = response;
        return response;
    }

    private async Task<string> SendAsync(HttpMethod method, string path)
    {
        var response = await SendRawAsync(method, path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {body}");
        return body;
    }

    public Cookie? SessionCookie(string name = "TypedSessions") =>
        Cookies.GetAllCookies().FirstOrDefault(c => c.Name == name);

    /// <summary>Replaces the session cookie's value (a stolen, stale or forged cookie).</summary>
    public void SetSessionCookie(string value, string name = "TypedSessions") =>
        Cookies.Add(new Cookie(name, value, "/", server.BaseAddress.Host));
}

/// <summary>Collects log messages for assertions.</summary>
internal sealed class ListLogger : ILoggerProvider, ILogger
{
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((logLevel, formatter(state, exception) + (exception is null ? "" : " | " + exception.Message)));
        }
    }

    public void Dispose() { }
}
