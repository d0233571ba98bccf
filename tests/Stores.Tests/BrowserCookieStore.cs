using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using TypedSessions.Hosting;
using TypedSessions.Cookies;

namespace TypedSessions.Stores.Tests;

/// <summary>
/// The cookie store as one browser meets it: every call is a request of its own, in a scope of its own,
/// carrying the browser's cookies in a real Cookie header; the response's Set-Cookie headers then
/// update the browser's cookies. So the conformance suite drives the real cookie store, chunking and
/// encryption included, through the same headers a browser would send.
/// </summary>
internal sealed class BrowserCookieStore(IServiceProvider services) : ISessionStore, IDisposable
{
    private readonly SemaphoreSlim _oneRequestAtATime = new(1, 1);

    /// <summary>The browser's cookies, by name.</summary>
    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    /// <summary>The Set-Cookie headers of the last request.</summary>
    public IReadOnlyList<SetCookieHeaderValue> LastSetCookies { get; private set; } = [];

    /// <summary>Runs <paramref name="call"/> as one request; <paramref name="responseStarted"/> simulates a write after the body began.</summary>
    public async Task<T> RequestAsync<T>(Func<ISessionStore, ValueTask<T>> call, bool responseStarted = false)
    {
        await _oneRequestAtATime.WaitAsync();
        try
        {
            using var scope = services.CreateScope();
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            context.Request.Headers.Cookie = string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}"));
            var jar = scope.ServiceProvider.GetRequiredService<SlotCookieJar>();
            if (responseStarted)
            {
                context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>(new StartedResponse());
            }

            jar.Capture(context, pushed: false);
            try
            {
                return await call(scope.ServiceProvider.GetRequiredService<ISessionStore>());
            }
            finally
            {
                // As the middleware does when the response starts, whether or not the handler failed.
                jar.Apply(context, jar.TakePending());
                LastSetCookies = [.. SetCookieHeaderValue.ParseList(context.Response.Headers.SetCookie.Select(static v => v!).ToList())];
                foreach (var cookie in LastSetCookies)
                {
                    if (cookie.Expires < DateTimeOffset.UtcNow)
                    {
                        Cookies.Remove(cookie.Name.Value!);
                    }
                    else
                    {
                        Cookies[cookie.Name.Value!] = cookie.Value.Value!;
                    }
                }
            }
        }
        finally
        {
            _oneRequestAtATime.Release();
        }
    }

    public ValueTask<SessionLoadResult> LoadAsync(SessionStoreId session, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        new(RequestAsync(s => s.LoadAsync(session, keys, cancellationToken)));

    public ValueTask<SlotSaveResult> SaveAsync(SessionStoreId session, string key, ReadOnlyMemory<byte> data, long expectedVersion, bool createSession, CancellationToken cancellationToken) =>
        new(RequestAsync(s => s.SaveAsync(session, key, data, expectedVersion, createSession, cancellationToken)));

    public ValueTask RemoveAsync(SessionStoreId session, string key, CancellationToken cancellationToken) =>
        new(RequestAsync(async s =>
        {
            await s.RemoveAsync(session, key, cancellationToken);
            return true;
        }));

    public ValueTask DestroyAsync(SessionStoreId session, CancellationToken cancellationToken) =>
        new(RequestAsync(async s =>
        {
            await s.DestroyAsync(session, cancellationToken);
            return true;
        }));

    public ValueTask<bool> RenewAsync(SessionStoreId from, SessionStoreId to, CancellationToken cancellationToken) =>
        new(RequestAsync(s => s.RenewAsync(from, to, cancellationToken)));

    public ValueTask TouchAsync(SessionStoreId session, CancellationToken cancellationToken) =>
        new(RequestAsync(async s =>
        {
            await s.TouchAsync(session, cancellationToken);
            return true;
        }));

    public void Dispose() => _oneRequestAtATime.Dispose();
}

/// <summary>A response whose body has begun: cookies can no longer be set.</summary>
internal sealed class StartedResponse : Microsoft.AspNetCore.Http.Features.HttpResponseFeature
{
    public override bool HasStarted => true;
}
