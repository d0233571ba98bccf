using static Microsoft.Playwright.Assertions;

namespace TypedSessions.Browser.Tests;

/// <summary>The circuit's connection drops (a TCP relay in front of the app cuts it) and comes back.</summary>
public sealed class ReconnectTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_session_survives_a_dropped_circuit_connection()
    {
        await using var proxy = new LoopbackProxy(browser.App.Port);
        await using var context = await browser.NewContextAsync(proxy.BaseAddress);
        var shop = await Pages.OpenInteractiveAsync(context, "/shop");
        await Pages.AddOnShopAsync(shop, "kettle", 1);

        proxy.DropConnections();

        // blazor.web.js marks the page's reconnect element when it has reconnected the circuit.
        await Expect(shop.Locator("#components-reconnect-modal")).ToHaveClassAsync(
            new System.Text.RegularExpressions.Regex("components-reconnect-hide"), new() { Timeout = 30_000 });
        await Pages.AddOnShopAsync(shop, "kettle", 2);
        Assert.True(proxy.Dropped > 0);
        await shop.ReloadAsync();
        await Expect(shop.Locator("#shop-cart-total")).ToHaveTextAsync(Pages.ItemsText(2));
    }
}
