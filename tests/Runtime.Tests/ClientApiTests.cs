using System.Net;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using TypedSessions.Serialization;

namespace TypedSessions.Runtime.Tests;

/// <summary>
/// The client API (MapTypedSessionsClientApi) over HTTP with real cookies: compare-and-set with ETags, the
/// access rules of ClientAccess, the origin and anti-forgery checks, bad input, renew and the change stream.
/// </summary>
public sealed class ClientApiTests
{
    private static Task<TestApp> StartAsync(Action<TypedSessionsOptions>? configure = null) => TestApp.StartAsync(configure, endpoints: app =>
    {
        app.MapTypedSessionsClientApi();
        app.MapGet("/client-counter", async (ISession<ClientCounter> c) => (await c.GetAsync()).Value);
        app.MapPost("/client-counter/increment", async (ISession<ClientCounter> c) => (await c.UpdateAsync(static x => x with { Value = x.Value + 1 })).Value);
        app.MapPost("/badge/{text}", async (string text, ISession<ClientBadge> b) => { await b.SetAsync(new ClientBadge(text)); return text; });
    });

    [Fact]
    public async Task A_write_is_a_compare_and_set_on_the_version_and_the_server_sees_it()
    {
        await using var app = await StartAsync();
        var client = new ClientApiClient(app.NewClient());

        var empty = await client.GetAsync("client-counter");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal("\"0\"", empty.Headers.ETag?.Tag);
        Assert.Empty(await empty.Content.ReadAsByteArrayAsync());

        var first = await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(5)), ifMatch: "\"0\"");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(first.Headers.Contains(SessionClientProtocol.SessionChangedHeader)); // the session started: new cookie
        Assert.NotNull(client.Browser.SessionCookie());
        Assert.Equal("5", await client.Browser.GetAsync("/client-counter"));

        // A write from elsewhere moves the version: a write on the old one is refused with what is stored now.
        await client.Browser.PostAsync("/client-counter/increment");
        var stale = await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(50)), ifMatch: first.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(6, (await ClientApiClient.ValueAsync<ClientCounter>(stale)).Value);
        Assert.Equal("6", await client.Browser.GetAsync("/client-counter"));

        var retried = await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(7)), ifMatch: stale.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.False(retried.Headers.Contains(SessionClientProtocol.SessionChangedHeader));
        Assert.Equal("7", await client.Browser.GetAsync("/client-counter"));

        var notModified = await client.GetAsync("client-counter", r => r.Headers.TryAddWithoutValidation("If-None-Match", retried.Headers.ETag!.Tag));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task An_unchanged_value_costs_no_store_write()
    {
        await using var app = await StartAsync();
        var client = new ClientApiClient(app.NewClient());
        var put = await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(3)));
        var writes = app.Store.Saves;

        var again = await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(3)), ifMatch: put.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(put.Headers.ETag, again.Headers.ETag);
        Assert.Equal(writes, app.Store.Saves);
    }

    [Theory]
    [InlineData("counter")]        // a state without ClientAccess
    [InlineData("note")]
    [InlineData("no-such-state")]
    public async Task A_state_the_client_may_not_use_is_404_whatever_it_sends(string key)
    {
        await using var app = await StartAsync();
        var client = new ClientApiClient(app.NewClient());
        await client.Browser.PostAsync("/counter/increment");

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(key)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsync(key, ClientApiClient.Bytes(new Counter(99)))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendWriteAsync(HttpMethod.Delete, $"state/{key}")).StatusCode);
        Assert.Equal("1", await client.Browser.GetAsync("/counter"));
    }

    [Fact]
    public async Task A_read_only_state_is_readable_and_refuses_every_write()
    {
        await using var app = await StartAsync();
        var client = new ClientApiClient(app.NewClient());
        await client.Browser.PostAsync("/badge/gold");

        var read = await client.GetAsync("client-badge");
        Assert.Equal("gold", (await ClientApiClient.ValueAsync<ClientBadge>(read)).Text);
        var put = await client.PutAsync("client-badge", ClientApiClient.Bytes(new ClientBadge("forged")));
        var delete = await client.SendWriteAsync(HttpMethod.Delete, "state/client-badge");

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal("access", put.Headers.GetValues(SessionClientProtocol.RefusalHeader).Single());
        Assert.Equal("gold", (await ClientApiClient.ValueAsync<ClientBadge>(await client.GetAsync("client-badge"))).Text);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "null")]
    public async Task Another_origin_can_neither_read_nor_write(string header, string value)
    {
        await using var app = await StartAsync();
        var client = new ClientApiClient(app.NewClient());
        await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(1)));

        var read = await client.GetAsync("client-counter", r => r.Headers.TryAddWithoutValidation(header, value));
        var write = await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(666)), configure: r => r.Headers.TryAddWithoutValidation(header, value));
        var renew = await client.SendWriteAsync(HttpMethod.Post, "session/invalidate", r => r.Headers.TryAddWithoutValidation(header, value));

        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, renew.StatusCode);
        Assert.Equal("1", await client.Browser.GetAsync("/client-counter"));
    }

    [Fact]
    public async Task A_request_without_the_marker_header_is_refused_as_a_form_or_an_image_would_be()
    {
        await using var app = await StartAsync();
        var browser = app.NewClient();

        var read = await browser.SendRawAsync(HttpMethod.Get, $"{ClientApiClient.Api}/state/client-counter");
        var write = await browser.SendRawAsync(HttpMethod.Post, $"{ClientApiClient.Api}/session/invalidate");

        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("forged-token")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_write_without_a_valid_antiforgery_token_is_refused(string? token)
    {
        await using var app = await StartAsync();
        var client = new ClientApiClient(app.NewClient());
        await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(1)));

        var response = await client.Browser.SendRawAsync(HttpMethod.Put, $"{ClientApiClient.Api}/state/client-counter", configure: r =>
        {
            ClientApiClient.Mark(r);
            if (token is not null)
            {
                r.Headers.TryAddWithoutValidation(SessionClientProtocol.AntiforgeryHeader, token);
            }

            r.Content = new ByteArrayContent(ClientApiClient.Bytes(new ClientCounter(2)));
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("antiforgery", response.Headers.GetValues(SessionClientProtocol.RefusalHeader).Single());
        Assert.Equal("1", await client.Browser.GetAsync("/client-counter"));
    }

    [Fact]
    public async Task A_token_from_another_browser_does_not_pass()
    {
        await using var app = await StartAsync();
        var victim = new ClientApiClient(app.NewClient());
        var attacker = new ClientApiClient(app.NewClient());
        await victim.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(1)));
        var attackersToken = await attacker.TokenAsync();

        var forged = await victim.Browser.SendRawAsync(HttpMethod.Put, $"{ClientApiClient.Api}/state/client-counter", configure: r =>
        {
            ClientApiClient.Mark(r);
            r.Headers.Add(SessionClientProtocol.AntiforgeryHeader, attackersToken);
            r.Content = new ByteArrayContent(ClientApiClient.Bytes(new ClientCounter(666)));
        });

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("1", await victim.Browser.GetAsync("/client-counter"));
    }

    [Fact]
    public async Task Bad_bodies_and_preconditions_are_400_or_413_and_change_nothing()
    {
        await using var app = await StartAsync(o => o.MaxClientStateBytes = 1024);
        var client = new ClientApiClient(app.NewClient());
        await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(1)));

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsync("client-counter", Encoding.UTF8.GetBytes("{\"value\":2}"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsync("client-counter", [])).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientBadge("another state")))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(2)), ifMatch: "W/\"1\"")).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PutAsync("client-counter", new byte[4096])).StatusCode);
        Assert.Equal("1", await client.Browser.GetAsync("/client-counter"));
    }

    [Fact]
    public async Task Renew_answers_with_the_new_cookie_and_the_old_one_is_worth_nothing()
    {
        await using var app = await StartAsync();
        var client = new ClientApiClient(app.NewClient());
        await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(4)));
        var before = client.Browser.SessionCookie()!.Value;

        var renew = await client.SendWriteAsync(HttpMethod.Post, "session/renew");

        Assert.Equal(HttpStatusCode.NoContent, renew.StatusCode);
        Assert.True(renew.Headers.Contains(SessionClientProtocol.SessionChangedHeader));
        Assert.NotEqual(before, client.Browser.SessionCookie()!.Value);
        Assert.Equal("4", await client.Browser.GetAsync("/client-counter"));
        var old = app.NewClient();
        old.SetSessionCookie(before);
        Assert.Equal("0", await old.GetAsync("/client-counter"));

        var invalidate = await client.SendWriteAsync(HttpMethod.Post, "session/invalidate");
        Assert.Equal(HttpStatusCode.NoContent, invalidate.StatusCode);
        Assert.Null(client.Browser.SessionCookie());
    }

    [Fact]
    public async Task The_change_stream_sends_the_stored_states_then_each_change_with_its_bytes()
    {
        await using var app = await StartAsync();
        var client = new ClientApiClient(app.NewClient());
        await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(1)));

        using var http = app.Services.GetTestServerClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{ClientApiClient.Api}/events");
        ClientApiClient.Mark(request);
        request.Headers.Add("Cookie", client.Browser.Cookies.GetCookieHeader(new Uri("http://localhost/")));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(SessionClientProtocol.EventStreamMediaType, response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var initial = await NextStateAsync(reader, "client-counter");
        Assert.True(SessionClientProtocol.TryDecodeSlot(initial, out _, out var bytes));
        Assert.Equal(1, SessionStateSerializer.Deserialize<ClientCounter>(bytes).Value.Value);

        await client.Browser.PostAsync("/client-counter/increment"); // another request of the same session
        var changed = await NextStateAsync(reader, "client-counter").WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(SessionClientProtocol.TryDecodeSlot(changed, out _, out bytes));
        Assert.Equal(2, SessionStateSerializer.Deserialize<ClientCounter>(bytes).Value.Value);
    }

    [Fact]
    public async Task One_session_cannot_open_more_change_streams_than_its_share()
    {
        await using var app = await StartAsync(o => o.MaxClientEventStreamsPerSession = 2);
        var client = new ClientApiClient(app.NewClient());
        await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(1)));
        using var http = app.Services.GetTestServerClient();

        var open = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{ClientApiClient.Api}/events");
            ClientApiClient.Mark(request);
            request.Headers.Add("Cookie", client.Browser.Cookies.GetCookieHeader(new Uri("http://localhost/")));
            open.Add(await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead));
        }

        Assert.Equal(HttpStatusCode.OK, open[0].StatusCode);
        Assert.Equal(HttpStatusCode.OK, open[1].StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, open[2].StatusCode);

        // Another session is not affected by this one's streams.
        var other = new ClientApiClient(app.NewClient());
        await other.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(1)));
        using var request2 = new HttpRequestMessage(HttpMethod.Get, $"{ClientApiClient.Api}/events");
        ClientApiClient.Mark(request2);
        request2.Headers.Add("Cookie", other.Browser.Cookies.GetCookieHeader(new Uri("http://localhost/")));
        using var theirs = await http.SendAsync(request2, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
        foreach (var response in open)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_large_state_is_announced_on_the_stream_not_copied_into_it()
    {
        await using var app = await StartAsync();
        var client = new ClientApiClient(app.NewClient());
        await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(1)));
        await client.Browser.PostAsync("/badge/" + new string('b', 6000));

        using var http = app.Services.GetTestServerClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{ClientApiClient.Api}/events");
        ClientApiClient.Mark(request);
        request.Headers.Add("Cookie", client.Browser.Cookies.GetCookieHeader(new Uri("http://localhost/")));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        string? announced = null;
        while (announced is null && await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5)) is { } line)
        {
            if (line == "event: changed")
            {
                announced = await reader.ReadLineAsync();
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && line.EndsWith(" client-badge", StringComparison.Ordinal))
            {
                Assert.Fail("The large state was sent inline.");
            }
        }

        Assert.NotNull(announced);
        Assert.EndsWith(" client-badge", announced, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_visitor_without_a_session_gets_an_idle_stream_that_ends()
    {
        await using var app = await StartAsync();
        var client = new ClientApiClient(app.NewClient());

        var response = await client.GetAsync("../events");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains("event: idle", text, StringComparison.Ordinal);
        Assert.Null(client.Browser.SessionCookie());
    }

    [Fact]
    public async Task Random_keys_bodies_and_headers_never_give_a_5xx()
    {
        await using var app = await StartAsync(o => o.MaxClientStateBytes = 2048);
        var client = new ClientApiClient(app.NewClient());
        await client.PutAsync("client-counter", ClientApiClient.Bytes(new ClientCounter(1)));
        var token = await client.TokenAsync();
        var valid = ClientApiClient.Bytes(new ClientCounter(2));
        var bodies = Gen.OneOf(
            Gen.ArrayOf(Gen.Choose(0, 255).Select(static b => (byte)b), Gen.Choose(0, 64).Sample(1, 1)[0]),
            Gen.Choose(0, valid.Length).Select(n => valid[..n]),                       // cut short
            Gen.Choose(0, valid.Length - 1).Select(i => { var b = (byte[])valid.Clone(); b[i] ^= 0x5A; return b; }), // flipped
            Gen.Constant(new byte[3000]));
        var cases =
            from method in Gen.Elements("GET", "PUT", "DELETE", "POST")
            from path in Gen.Elements("state/client-counter", "state/client-badge", "state/counter", "state/%ZZ", "state/" + new string('k', 300), "session", "session/renew", "antiforgery", "state/")
            from body in bodies
            from ifMatch in Gen.Elements("", "*", "\"1\"", "\"-1\"", "\"99999999999999999999\"", "W/\"1\"", "garbage", "\"1\", \"2\"")
            from antiforgery in Gen.Elements(token, "", "x", token + "x")
            from site in Gen.Elements("", "same-origin", "cross-site", "none")
            select (method, path, body, ifMatch, antiforgery, site);

        await Task.Run(() => FsCheck.Fluent.Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var response = client.Browser.SendRawAsync(new HttpMethod(c.method), $"{ClientApiClient.Api}/{c.path}", configure: r =>
            {
                ClientApiClient.Mark(r);
                if (c.ifMatch.Length > 0) r.Headers.TryAddWithoutValidation("If-Match", c.ifMatch);
                if (c.antiforgery.Length > 0) r.Headers.TryAddWithoutValidation(SessionClientProtocol.AntiforgeryHeader, c.antiforgery);
                if (c.site.Length > 0) r.Headers.TryAddWithoutValidation("Sec-Fetch-Site", c.site);
                if (c.method is "PUT" or "POST") r.Content = new ByteArrayContent(c.body);
            }).GetAwaiter().GetResult();
            Assert.True((int)response.StatusCode < 500, $"{c.method} {c.path} ({c.body.Length} bytes, If-Match {c.ifMatch}): {(int)response.StatusCode}");
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(400)));
    }

    private static async Task<string> NextStateAsync(StreamReader reader, string key)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal) && line.EndsWith(" " + key, StringComparison.Ordinal))
            {
                return line["data: ".Length..^(key.Length + 1)];
            }
        }

        throw new EndOfStreamException("The stream ended.");
    }
}

internal static class TestServerExtensions
{
    public static HttpClient GetTestServerClient(this IServiceProvider services) =>
        ((TestServer)services.GetService(typeof(Microsoft.AspNetCore.Hosting.Server.IServer))!).CreateClient();
}
