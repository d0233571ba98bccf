using Microsoft.Extensions.DependencyInjection;

namespace TypedSessions.Runtime.Tests;

/// <summary>One application, two stores: the note in the browser's cookie store, the counter in the server's store.</summary>
public sealed class PerStateStoreTests
{
    private static Task<TestApp> StartAsync() => TestApp.StartAsync(stores: s => s.UseCookieStoreFor<Note>());

    [Fact]
    public async Task Each_state_lives_in_its_own_store_under_one_session()
    {
        await using var app = await StartAsync();
        var browser = app.NewClient();

        await browser.PostAsync("/note/hello");
        var idAfterNote = app.SessionIdOf(browser);
        app.Store.Reset();
        await browser.PostAsync("/counter/increment");

        Assert.NotNull(browser.SessionCookie("TypedSessions.note"));
        Assert.Equal(1, app.Store.Saves); // only the counter reached the server store
        Assert.Equal(idAfterNote, app.SessionIdOf(browser)); // the cookie-only session was continued, not replaced
        Assert.Equal("hello", await browser.GetAsync("/note"));
        Assert.Equal("1", await browser.GetAsync("/counter"));
    }

    [Fact]
    public async Task Renew_carries_both_stores_and_invalidate_clears_both()
    {
        await using var app = await StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/note/hello");
        await browser.PostAsync("/counter/increment");
        var noteCookie = browser.SessionCookie("TypedSessions.note")!.Value;

        await browser.PostAsync("/renew");

        Assert.NotEqual(noteCookie, browser.SessionCookie("TypedSessions.note")!.Value);
        Assert.Equal("hello", await browser.GetAsync("/note"));
        Assert.Equal("1", await browser.GetAsync("/counter"));

        await browser.PostAsync("/invalidate");

        Assert.Null(browser.SessionCookie("TypedSessions.note"));
        Assert.Equal("", await browser.GetAsync("/note"));
        Assert.Equal("0", await browser.GetAsync("/counter"));
    }

    [Fact]
    public async Task A_state_over_the_cookie_budget_fails_before_the_response_and_keeps_the_old_value()
    {
        await using var app = await TestApp.StartAsync(stores: s => s.UseCookieStoreFor<Note>(o => o.MaxBytes = 1024));
        var browser = app.NewClient();
        await browser.PostAsync("/note/short");

        var response = await browser.SendRawAsync(HttpMethod.Post, "/note/" + new string('x', 2000));

        Assert.Equal(System.Net.HttpStatusCode.RequestEntityTooLarge, response.StatusCode); // SessionCookieTooLargeException, nothing written

        Assert.Equal("short", await browser.GetAsync("/note"));
    }
}
