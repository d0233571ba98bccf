using static Microsoft.Playwright.Assertions;

namespace TypedSessions.Browser.Tests;

/// <summary>The sample with every state in the cookie store: an interactive component's writes must reach the browser's cookies.</summary>
public sealed class CookieStoreBrowserTests : IAsyncLifetime
{
    private readonly BrowserFixture _browser = new() { Settings = new Dictionary<string, string> { ["TypedSessions:Store"] = "cookie" } };

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task A_cart_filled_by_the_interactive_shop_lives_in_the_browser_cookie_and_shows_on_the_razor_page()
    {
        await using var context = await _browser.NewContextAsync();
        var shop = await Pages.OpenInteractiveAsync(context, "/shop");

        await Pages.AddOnShopAsync(shop, "mug", 1);
        await Pages.AddOnShopAsync(shop, "kettle", 2);

        // The server keeps nothing: the cart is in the slot cookie the circuit pushed to the browser.
        var cookies = await context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == "TypedSessions.cart" && c.HttpOnly);
        var cart = await context.NewPageAsync();
        await cart.GotoAsync("/cart");
        await Expect(cart.Locator("#cart-total")).ToHaveTextAsync(Pages.ItemsText(2));
        await shop.ReloadAsync();
        await Expect(shop.Locator("#shop-cart-total")).ToHaveTextAsync(Pages.ItemsText(2));
    }
}
