using TypedSessions.Tests.Shared;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TypedSessions.Hosting;
using TypedSessions.Cookies;
using TypedSessions.Diagnostics;

namespace TypedSessions.Runtime.Tests;

/// <summary>The session cookie's reader remembers what it unprotected, briefly, and hands out copies.</summary>
public sealed class SessionCookieTests
{
    private readonly ManualClock _time = new();
    private readonly CountingDataProtection _dataProtection = new(new EphemeralDataProtectionProvider());

    [Fact]
    public void A_cookie_value_is_unprotected_once_a_minute_and_callers_get_their_own_copy()
    {
        var cookie = new SessionCookie(_dataProtection, Options.Create(new TypedSessionsOptions()), _time, NullLogger<SessionCookie>.Instance);
        var id = Enumerable.Range(1, 32).Select(static i => (byte)i).ToArray();
        var request = RequestWith(cookie, id);

        var first = cookie.Read(request)!;
        first[0] = 99; // a caller changing its copy changes nothing for the next request
        var second = cookie.Read(request)!;
        _time.Advance(TimeSpan.FromSeconds(61));
        var third = cookie.Read(request)!;

        Assert.Equal(id, second);
        Assert.Equal(id, third);
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
