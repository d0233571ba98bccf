using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Logging;

namespace TypedSessions.Runtime.Tests;

/// <summary>
/// Every value a client controls, thrown at a test server at random (FsCheck): the session cookie, the
/// cookie store's slot cookies and their chunks, the binding cookie, the cookie endpoint's body and the
/// headers it reads. No answer is a 5xx, and nothing is logged above Information.
/// </summary>
public sealed class BoundaryPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(1000);

    // Text as attackers send it: base64url of every length and padding, the other base64 alphabet,
    // non-ASCII, control characters, separators, huge and empty values.
    private static readonly Gen<string> HostileText = Gen.OneOf(
        from length in Gen.Choose(0, 300)
        from chars in Gen.ArrayOf(Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".ToCharArray()), length)
        from padding in Gen.Elements("", "=", "==", "===")
        select new string(chars) + padding,
        from length in Gen.Choose(0, 300)
        from chars in Gen.ArrayOf(Gen.Elements("ABCabc019+/=-_ %\"\\,;\t".ToCharArray()), length)
        select new string(chars),
        from chars in Gen.ArrayOf(Gen.Choose(0x01, 0x2FF).Select(c => (char)c), Gen.Choose(0, 80).Sample(1, 1)[0])
        select new string(chars.Where(c => c is not ('\r' or '\n')).ToArray()),
        Gen.Elements("", "AA=", "AA==", "A", "AAA=", "chunks-3", "chunks-99999999999", "chunks--1", "\u00e9\u00e9", new string('A', 20_000), new string('A', 8001)));

    [Fact]
    public async Task Random_session_slot_chunk_and_binding_cookies_never_give_a_5xx_or_a_log_above_information()
    {
        await using var app = await TestApp.StartAsync(stores: s => s.UseCookieStoreFor<Note>());
        var names = new[] { "TypedSessions", "TypedSessions.note", "TypedSessions.note!1", "TypedSessions.note!2", "TypedSessions-binding", "TypedSessions.%ZZ", "TypedSessions.counter" };
        var cases =
            from name in Gen.Elements(names)
            from value in HostileText
            from path in Gen.Elements("/note", "/counter", "/note/x", "/counter/increment", "/renew", "/invalidate", "/_blazor/negotiate", "/missing")
            select (name, value, path);

        await Task.Run(() => Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var status = SendAsync(app, c.path, $"{c.name}={c.value}", body: null, headers: []).GetAwaiter().GetResult();
            Assert.True(status < 500, $"{c.name}={Shorten(c.value)} on {c.path}: {status} {LoudLogs(app)}");
        }).Check(Runs));

        AssertQuietLogs(app);
    }

    [Fact]
    public async Task Random_ticket_bodies_and_headers_at_the_cookie_endpoint_never_give_a_5xx_or_a_log_above_information()
    {
        await using var app = await TestApp.StartAsync();
        var cases =
            from body in HostileText
            from site in Gen.Elements("", "same-origin", "same-site", "cross-site", "none", "\u00ff", "same-origin, cross-site")
            from origin in Gen.Elements("", "http://localhost", "null", "http://evil", "\u0001")
            from marker in Gen.Elements("", "cookie-ticket", "x")
            select (body, site, origin, marker);

        await Task.Run(() => Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var headers = new List<(string, string)>();
            if (c.site.Length > 0) headers.Add(("Sec-Fetch-Site", c.site));
            if (c.origin.Length > 0) headers.Add(("Origin", c.origin));
            if (c.marker.Length > 0) headers.Add(("X-TypedSessions", c.marker));
            var status = SendAsync(app, "/_typedsessions/cookie", "TypedSessions-binding=AAAAAAAAAAAAAAAAAAAAAA", c.body, headers).GetAwaiter().GetResult();
            Assert.True(status is 400 or 403 or 409, $"body '{Shorten(c.body)}': {status} {LoudLogs(app)}");
        }).Check(Runs));

        AssertQuietLogs(app);
    }

    [Theory]
    [InlineData("TypedSessions=AA=")]
    [InlineData("TypedSessions.note=AA=")]
    [InlineData("TypedSessions=AA==")]
    [InlineData("TypedSessions.note=chunks-2; TypedSessions.note!1=AA=; TypedSessions.note!2=A")]
    public async Task The_three_character_cookie_is_a_fresh_session_on_every_path(string cookie)
    {
        await using var app = await TestApp.StartAsync(stores: s => s.UseCookieStoreFor<Note>());

        foreach (var path in new[] { "/note", "/counter", "/missing", "/favicon.ico" })
        {
            Assert.True(await SendAsync(app, path, cookie, null, []) < 500);
        }

        Assert.Equal(200, await SendAsync(app, "/note/written", cookie, null, []));
        AssertQuietLogs(app);
    }

    private static async Task<int> SendAsync(TestApp app, string path, string cookie, string? body, IEnumerable<(string Name, string Value)> headers)
    {
        var client = app.NewClient();
        var method = body is not null || path.Contains("/x", StringComparison.Ordinal) || path.EndsWith("increment", StringComparison.Ordinal)
            || path is "/renew" or "/invalidate" or "/_blazor/negotiate" or "/note/written" ? HttpMethod.Post : HttpMethod.Get;
        var response = await client.SendRawAsync(method, path, body, r =>
        {
            r.Headers.TryAddWithoutValidation("Cookie", cookie);
            foreach (var (name, value) in headers)
            {
                r.Headers.TryAddWithoutValidation(name, value);
            }

            if (r.Content is not null)
            {
                r.Content = new ByteArrayContent(Encoding.Latin1.GetBytes(body!));
            }
        });
        return (int)response.StatusCode;
    }

    private static string Shorten(string value) => value.Length > 40 ? $"{value[..40]}... ({value.Length} chars)" : value;

    private static string LoudLogs(TestApp app) =>
        string.Join(" | ", app.Logs.Entries.Where(e => e.Level > LogLevel.Information).Take(2).Select(e => e.Message.Length > 300 ? e.Message[..300] : e.Message));

    private static void AssertQuietLogs(TestApp app)
    {
        var loud = app.Logs.Entries.Where(e => e.Level > LogLevel.Information).ToList();
        Assert.True(loud.Count == 0, string.Join("\n", loud.Take(5).Select(e => $"{e.Level}: {e.Message}")));
    }
}
