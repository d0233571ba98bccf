using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TypedSessions.Browser.Tests;

/// <summary>The sample in a real Chromium: interactive Server components sharing the session with Razor Pages.</summary>
public sealed class InteractiveSessionTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_cart_filled_on_the_interactive_shop_is_still_there_after_a_reload()
    {
        await using var context = await browser.NewContextAsync();
        var shop = await Pages.OpenInteractiveAsync(context, "/shop");

        await Pages.AddOnShopAsync(shop, "mug", 1);
        await Pages.AddOnShopAsync(shop, "mug", 2);
        Assert.NotNull(await Pages.SessionCookieAsync(context)); // delivered to the browser by the circuit
        await shop.ReloadAsync();

        await Expect(shop.Locator("#shop-cart-total")).ToHaveTextAsync(Pages.ItemsText(2));
        await Expect(shop.Locator("tr[data-sku=mug] .quantity")).ToHaveTextAsync("2");
    }

    [Fact]
    public async Task A_circuit_continues_the_session_the_browser_already_has()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/b-session"); // a minimal API signs in as alice and issues the cookie
        var cookie = await Pages.SessionCookieAsync(context);
        Assert.NotNull(cookie);

        var shop = await Pages.OpenInteractiveAsync(context, "/shop");
        await Pages.AddOnShopAsync(shop, "mug", 1);
        var account = await Pages.OpenInteractiveAsync(context, "/account");

        // Rendered by the circuit, which read the cookie of its own connection: same session, same cookie.
        await Expect(account.Locator("#account-status")).ToHaveTextAsync("Signed in as alice.");
        Assert.Equal(cookie, await Pages.SessionCookieAsync(context));
        Assert.Contains("Cart: 1 items.", await Pages.HomeWithCookieAsync(browser.App.BaseAddress, cookie!), StringComparison.Ordinal);
        Assert.DoesNotContain("without a connection request", browser.App.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_post_in_another_tab_shows_on_the_open_shop_without_a_reload()
    {
        await using var context = await browser.NewContextAsync();
        var shop = await Pages.OpenInteractiveAsync(context, "/shop");
        await Pages.AddOnShopAsync(shop, "mug", 1); // the session now exists, and the shop watches it

        var cart = await context.NewPageAsync();
        await cart.GotoAsync("/cart");
        await cart.ClickAsync("#add-kettle");
        await Expect(cart.Locator("#cart-total")).ToHaveTextAsync(Pages.ItemsText(2));

        await Expect(shop.Locator("#shop-cart-total")).ToHaveTextAsync(Pages.ItemsText(2), new() { Timeout = 1000 });
        await Expect(shop.Locator("#cart-badge")).ToHaveTextAsync("2", new() { Timeout = 1000 });
    }

    [Fact]
    public async Task Sign_in_changes_the_cookie_and_sign_out_destroys_the_session()
    {
        await using var context = await browser.NewContextAsync();
        var shop = await Pages.OpenInteractiveAsync(context, "/shop");
        await Pages.AddOnShopAsync(shop, "tea-green", 1);
        var anonymousCookie = await Pages.SessionCookieAsync(context);

        var account = await Pages.OpenInteractiveAsync(context, "/account");
        await account.FillAsync("#sign-in-name", "bob");
        await account.ClickAsync("#sign-in");
        await Expect(account.Locator("#account-status")).ToHaveTextAsync("Signed in as bob.");

        var signedInCookie = await Pages.SessionCookieAsync(context);
        Assert.NotNull(signedInCookie);
        Assert.NotEqual(anonymousCookie, signedInCookie);
        var withOld = await Pages.HomeWithCookieAsync(browser.App.BaseAddress, anonymousCookie!);
        Assert.Contains("Not signed in.", withOld, StringComparison.Ordinal);
        Assert.Contains("Cart: 0 items.", withOld, StringComparison.Ordinal);
        var withNew = await Pages.HomeWithCookieAsync(browser.App.BaseAddress, signedInCookie!);
        Assert.Contains("Signed in as bob.", withNew, StringComparison.Ordinal);
        Assert.Contains("Cart: 1 items.", withNew, StringComparison.Ordinal); // the cart came along

        await account.ClickAsync("#sign-out");
        await Expect(account.Locator("#account-status")).ToHaveTextAsync("Not signed in.");

        Assert.Null(await Pages.SessionCookieAsync(context));
        var replayed = await Pages.HomeWithCookieAsync(browser.App.BaseAddress, signedInCookie!);
        Assert.Contains("Not signed in.", replayed, StringComparison.Ordinal);
        Assert.Contains("Cart: 0 items.", replayed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_theme_chosen_in_a_component_applies_to_the_razor_pages_too()
    {
        await using var context = await browser.NewContextAsync();
        var home = await Pages.OpenInteractiveAsync(context, "/shop");

        await home.ClickAsync("#theme-toggle");
        await Expect(home.Locator("#theme-toggle")).ToHaveTextAsync("Light theme");

        var cart = await context.NewPageAsync();
        await cart.GotoAsync("/cart");
        await Expect(cart.Locator("#theme-toggle")).ToHaveTextAsync("Light theme");
        Assert.Contains("color-scheme: dark", await cart.Locator("head style").TextContentAsync() ?? "", StringComparison.Ordinal);
    }
}
