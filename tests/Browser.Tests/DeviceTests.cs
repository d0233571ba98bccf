using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TypedSessions.Browser.Tests;

/// <summary>
/// Sessions of a user in Chromium: two browsers signed in as the same user see both devices, and
/// "sign out all other devices" on one ends the other's session at once — its open page re-renders as
/// signed out without a reload, and its old cookie loads nothing.
/// </summary>
public sealed class DeviceTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Signing_out_other_devices_shows_the_other_browser_signed_out_within_a_second()
    {
        await using var laptop = await browser.NewContextAsync();
        await using var phone = await browser.NewContextAsync();
        var laptopAccount = await Pages.SignInAsync(laptop, "dora");
        var phoneAccount = await Pages.SignInAsync(phone, "dora");
        var laptopCookie = await Pages.SessionCookieAsync(laptop);

        await phoneAccount.ReloadAsync(); // the list as the phone sees it now: both devices
        await Pages.WaitForCircuitAsync(phoneAccount);
        await Expect(phoneAccount.Locator("#devices tbody tr")).ToHaveCountAsync(2);
        await Expect(phoneAccount.Locator("#devices tr[data-current=true]")).ToHaveCountAsync(1);

        await phoneAccount.ClickAsync("#sign-out-others");

        await Expect(phoneAccount.Locator("#signed-out-count")).ToHaveTextAsync("Signed out 1 other device.");
        await Expect(laptopAccount.Locator("#account-status")).ToHaveTextAsync("Not signed in.", new() { Timeout = 1000 });
        await Expect(phoneAccount.Locator("#account-status")).ToHaveTextAsync("Signed in as dora.");
        await Expect(phoneAccount.Locator("#devices tbody tr")).ToHaveCountAsync(1);
        Assert.Contains("Not signed in.", await Pages.HomeWithCookieAsync(browser.App.BaseAddress, laptopCookie!), StringComparison.Ordinal);

        // The signed-out device can sign in again, in a fresh session.
        await laptopAccount.FillAsync("#sign-in-name", "dora");
        await laptopAccount.ClickAsync("#sign-in");
        await Expect(laptopAccount.Locator("#account-status")).ToHaveTextAsync("Signed in as dora.");
        Assert.NotEqual(laptopCookie, await Pages.SessionCookieAsync(laptop));
    }

    [Fact]
    public async Task The_footer_shows_the_store_and_a_handle_that_changes_at_sign_in()
    {
        await using var context = await browser.NewContextAsync();
        var shop = await Pages.OpenInteractiveAsync(context, "/shop");
        await Expect(shop.Locator("#store-in-use")).ToHaveTextAsync("memory (this process)");
        await Expect(shop.Locator("#session-handle")).ToHaveTextAsync("none yet");
        await Pages.AddOnShopAsync(shop, "mug", 1);
        var account = await Pages.OpenInteractiveAsync(context, "/account");
        var before = await account.Locator("#session-handle").TextContentAsync();
        Assert.Equal(8, before!.Length);

        await account.FillAsync("#sign-in-name", "finn");
        await account.ClickAsync("#sign-in");

        await Expect(account.Locator("#account-status")).ToHaveTextAsync("Signed in as finn.");
        await Expect(account.Locator("#session-handle")).Not.ToHaveTextAsync(before);
        await Expect(account.Locator("#session-handle")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[A-Za-z0-9_-]{8}$"));
    }
}
