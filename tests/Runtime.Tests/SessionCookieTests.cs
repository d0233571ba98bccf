using TypedSessions.Tests.Shared;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using TypedSessions.Hosting;
using TypedSessions.Cookies;
using TypedSessions.Diagnostics;

namespace TypedSessions.Runtime.Tests;

/// <summary>The session cookie's reader remembers what it unprotected, briefly, with the store ID derived from it.</summary>
public sealed class SessionCookieTests
{
    private readonly ManualClock _time = new();
    private readonly CountingDataProtection _dataProtection = new(new EphemeralDataProtectionProvider());

    [Fact]
    public void A_cookie_value_is_unprotected_once_a_minute_and_read_with_its_store_id()
    {
        var cookie = new SessionCookie(_dataProtection, Options.Create(new TypedSessionsOptions()), _time, NullLogger<SessionCookie>.Instance);
        var id = Enumerable.Range(1, 32).Select(static i => (byte)i).ToArray();
        var request = RequestWith(cookie, id);

        var first = cookie.Read(request)!.Value;
        var second = cookie.Read(request)!.Value;
        _time.Advance(TimeSpan.FromSeconds(61));
        var third = cookie.Read(request)!.Value;

        Assert.Equal(id, first.SessionId);
        Assert.Equal(id, second.SessionId);
        Assert.Equal(id, third.SessionId);
        Assert.Equal(Stores.SessionStoreId.FromSessionId(id), second.StoreId);
        Assert.Equal(Stores.SessionStoreId.FromSessionId(id), third.StoreId);
        Assert.Equal(2, _dataProtection.Unprotects);
    }

    [Fact]
    public void A_forged_value_is_never_remembered()
    {
        var cookie = new SessionCookie(_dataProtection, Options.Create(new TypedSessionsOptions()), _time, NullLogger<SessionCookie>.Instance);
        var request = new DefaultHttpContext();
        request.Request.Headers.Cookie = "TypedSessions=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        Assert.Null(cookie.Read(request));
        Assert.Null(cookie.Read(request));
        Assert.Equal(2, _dataProtection.Unprotects);
    }

    [Fact]
    public void The_cookie_read_from_the_header_text_is_the_one_ASP_NET_Cores_cookie_parser_gives()
    {
        var cookie = new SessionCookie(_dataProtection, Options.Create(new TypedSessionsOptions()), _time, NullLogger<SessionCookie>.Instance);
        var alice = Enumerable.Range(1, 32).Select(static i => (byte)i).ToArray();
        var bob = Enumerable.Range(100, 32).Select(static i => (byte)i).ToArray();
        var aliceValue = IssuedValue(cookie, alice);
        var bobValue = IssuedValue(cookie, bob);

        // Names that are ours, ours in another case or with blanks around, and others'; values that are a
        // session's, percent-encoded, quoted, padded with blanks, cut, or not base64url at all.
        var names = Gen.Elements("TypedSessions", "typedsessions", "TYPEDSESSIONS", " TypedSessions", "TypedSessions\t", "TypedSessions.note", "TypedSession", "Other", "");
        var values = Gen.Elements(aliceValue, bobValue, "%" + ((int)aliceValue[0]).ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + aliceValue[1..],
            "\"" + aliceValue + "\"", aliceValue + " ", " " + bobValue, aliceValue[..10], "", "a=b", "AA==", "\u00e9t\u00e9");
        var anyPair = from name in names from value in values from sign in Gen.Elements("=", "", " = ") select name + sign + value;
        var pair = Gen.OneOf(anyPair, Gen.Elements("TypedSessions=" + aliceValue, "TypedSessions=" + bobValue, "Other=x+y/z=="));
        var headers =
            from pairs in Gen.ListOf(pair, Gen.Choose(0, 5).Sample(1, 1)[0])
            from separator in Gen.Elements("; ", ";", " ; ", ";;")
            from split in Gen.Elements(false, true)
            select split && pairs.Count > 1
                ? new StringValues([string.Join(separator, pairs.Take(1)), string.Join(separator, pairs.Skip(1))])
                : new StringValues(string.Join(separator, pairs));

        Prop.ForAll(headers.ToArbitrary(), header =>
        {
            var parsed = new DefaultHttpContext();
            parsed.Request.Headers.Cookie = header;
            var text = parsed.Request.Cookies["TypedSessions"];
            var expected = text == aliceValue ? alice : text == bobValue ? bob : null;

            var request = new DefaultHttpContext();
            request.Request.Headers.Cookie = header;
            Assert.Equal(expected, cookie.Read(request)?.SessionId);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    private static string IssuedValue(SessionCookie cookie, byte[] id)
    {
        var response = new DefaultHttpContext();
        cookie.Issue(response, id);
        return response.Response.Headers.SetCookie.ToString().Split(';')[0]["TypedSessions=".Length..];
    }

    private static DefaultHttpContext RequestWith(SessionCookie cookie, byte[] id)
    {
        var response = new DefaultHttpContext();
        cookie.Issue(response, id);
        var value = response.Response.Headers.SetCookie.ToString().Split(';')[0];
        var request = new DefaultHttpContext();
        request.Request.Headers.Cookie = value;
        return request;
    }

    /// <summary>Real Data Protection, counting the unprotect calls made through it.</summary>
    private sealed class CountingDataProtection(IDataProtectionProvider inner) : IDataProtectionProvider, IDataProtector
    {
        private IDataProtector? _protector;

        public int Unprotects { get; private set; }

        public IDataProtector CreateProtector(string purpose)
        {
            _protector = inner.CreateProtector(purpose);
            return this;
        }

        public byte[] Protect(byte[] plaintext) => _protector!.Protect(plaintext);

        public byte[] Unprotect(byte[] protectedData)
        {
            Unprotects++;
            return _protector!.Unprotect(protectedData);
        }
    }
}

/// <summary>The startup check of the Data Protection runtime against CVE-2026-40372.</summary>
public sealed class DataProtectionRuntimeCheckTests
{
    [Theory]
    [InlineData("10.0.0", true)]
    [InlineData("10.0.6+a1b2c3", true)]
    [InlineData("10.0.7", false)]
    [InlineData("10.0.12+d7e6f5", false)]
    [InlineData("9.0.20", false)]
    [InlineData("11.0.0-preview.1", false)]
    [InlineData("garbage", false)]
    public void Only_the_affected_versions_are_flagged(string version, bool affected) =>
        Assert.Equal(affected, Diagnostics.DataProtectionRuntimeCheck.IsAffected(version));

    [Fact]
    public async Task The_running_runtime_is_not_affected_and_startup_logs_no_error()
    {
        await using var app = await TestApp.StartAsync();
        await app.NewClient().GetAsync("/note");

        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains("CVE-2026-40372", StringComparison.Ordinal));
    }
}
