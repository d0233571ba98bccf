using System.Net;
using System.Text;
using TypedSessions.Tests.Shared;

namespace TypedSessions.Browser.Tests;

/// <summary>
/// A page served from 127.0.0.1 on another port: the same site as the app, another origin (what a
/// sibling subdomain is to a real site). A real server, so the browser treats it as it would any
/// other loopback page.
/// </summary>
internal sealed class SiblingOrigin : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _html;

    public SiblingOrigin(string body)
    {
        _html = $"<!doctype html><html><body>{body}</body></html>";
        Address = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/");
        _listener.Prefixes.Add(Address.ToString());
        _listener.Start();
        _ = ServeAsync();
    }

    public Uri Address { get; }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var bytes = Encoding.UTF8.GetBytes(_html);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
