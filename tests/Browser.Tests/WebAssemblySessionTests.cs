using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TypedSessions.Browser.Tests;

/// <summary>
/// The sample's WebAssembly and Auto shops in a real Chromium: the same <c>ISession&lt;Cart&gt;</c> code as the
/// Server shop, running in the browser over the client API, sharing the cart with Razor Pages.
/// </summary>
public sealed class WebAssemblySessionTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly LocatorAssertionsToHaveTextOptions WithinASecond = new() { Timeout = 1000 };

    [Fact]
    public async Task A_webassembly_component_adds_to_the_cart_and_a_razor_page_with_the_same_cookie_sees_it()
    {
        await using var context = await browser.NewContextAsync();
        var shop = await OpenInWebAssemblyAsync(context, "/shop-wasm", "wasm");

        await shop.ClickAsync("#wasm-add-mug");
        await Expect(shop.Locator("#wasm-cart-total")).ToHaveTextAsync(Pages.ItemsText(1));
        await shop.ClickAsync("#wasm-add-mug");
        await Expect(shop.Locator("tr[data-sku=mug] .quantity")).ToHaveTextAsync("2");

        // The first write started the session: its cookie came with the client API's answer.
        var cookie = await Pages.SessionCookieAsync(context);
        Assert.NotNull(cookie);
        Assert.Contains("Cart: 2 items.", await Pages.HomeWithCookieAsync(browser.App.BaseAddress, cookie!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_post_in_another_tab_shows_in_the_webassembly_component_within_a_second()
    {
        await using var context = await browser.NewContextAsync();
        var shop = await OpenInWebAssemblyAsync(context, "/shop-wasm", "wasm");
        await shop.ClickAsync("#wasm-add-mug");
        await Expect(shop.Locator("#wasm-cart-total")).ToHaveTextAsync(Pages.ItemsText(1));

        var cart = await context.NewPageAsync();
        await cart.GotoAsync("/cart");
        await cart.ClickAsync("#add-kettle");
        await Expect(cart.Locator("#cart-total")).ToHaveTextAsync(Pages.ItemsText(2));

        await Expect(shop.Locator("#wasm-cart-total")).ToHaveTextAsync(Pages.ItemsText(2), WithinASecond);
    }

    [Fact]
    public async Task A_prerendered_page_resumes_in_webassembly_with_the_servers_value_without_fetching_it()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/cart");
        await page.ClickAsync("#add-kettle"); // the session exists before the WebAssembly page opens

        var stateReads = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/_typedsessions/api/state/", StringComparison.Ordinal) && request.Method == "GET")
            {
                stateReads.Add(request.Url);
            }
        };
        await page.GotoAsync("/shop-wasm");
        await Expect(page.Locator("#wasm-cart-total")).ToHaveTextAsync(Pages.ItemsText(1)); // prerendered
        await Expect(page.Locator("#wasm-mode")).ToHaveTextAsync("WebAssembly", new() { Timeout = 30_000 });
        await Expect(page.Locator("#wasm-cart-total")).ToHaveTextAsync(Pages.ItemsText(1));
        Assert.Empty(stateReads); // handed over by the prerender; changes since come through the change stream
    }

    [Fact]
    public async Task The_auto_page_shows_the_same_cart_on_a_circuit_and_later_in_webassembly()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/cart");
        await page.ClickAsync("#add-mug");

        await page.GotoAsync("/shop-auto");
        await Expect(page.Locator("#auto-mode")).ToHaveTextAsync(new Regex("^(Server|WebAssembly)$"), new() { Timeout = 30_000 });
        await page.ClickAsync("#auto-add-kettle");
        await Expect(page.Locator("#auto-cart-total")).ToHaveTextAsync(Pages.ItemsText(2));

        // Once the runtime is cached, Auto runs in the browser: the same cart, now over the client API.
        await OpenInWebAssemblyAsync(context, "/shop-wasm", "wasm"); // makes sure the runtime is downloaded
        var again = await context.NewPageAsync();
        await again.GotoAsync("/shop-auto");
        await Expect(again.Locator("#auto-mode")).ToHaveTextAsync("WebAssembly", new() { Timeout = 30_000 });
        await Expect(again.Locator("#auto-cart-total")).ToHaveTextAsync(Pages.ItemsText(2));
        await again.ClickAsync("#auto-add-tea-green");
        await Expect(again.Locator("#auto-cart-total")).ToHaveTextAsync(Pages.ItemsText(3));
        Assert.Contains("Cart: 3 items.", await Pages.HomeWithCookieAsync(browser.App.BaseAddress, (await Pages.SessionCookieAsync(context))!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renew_and_invalidate_from_webassembly_change_the_cookie()
    {
        await using var context = await browser.NewContextAsync();
        var shop = await OpenInWebAssemblyAsync(context, "/shop-wasm", "wasm");
        await shop.ClickAsync("#wasm-add-mug");
        await Expect(shop.Locator("#wasm-cart-total")).ToHaveTextAsync(Pages.ItemsText(1));
        var before = await Pages.SessionCookieAsync(context);

        await shop.ClickAsync("#wasm-renew");
        await Expect(shop.Locator("#wasm-session-status")).ToHaveTextAsync("Renewed.");
        var renewed = await Pages.SessionCookieAsync(context);
        Assert.NotNull(renewed);
        Assert.NotEqual(before, renewed);
        Assert.Contains("Cart: 1 items.", await Pages.HomeWithCookieAsync(browser.App.BaseAddress, renewed!), StringComparison.Ordinal);
        Assert.Contains("Cart: 0 items.", await Pages.HomeWithCookieAsync(browser.App.BaseAddress, before!), StringComparison.Ordinal);

        await shop.ClickAsync("#wasm-invalidate");
        await Expect(shop.Locator("#wasm-session-status")).ToHaveTextAsync("Signed out.");
        await Expect(shop.Locator("#wasm-cart-empty")).ToBeVisibleAsync();
        Assert.Null(await Pages.SessionCookieAsync(context));
        Assert.Contains("Cart: 0 items.", await Pages.HomeWithCookieAsync(browser.App.BaseAddress, renewed!), StringComparison.Ordinal);
    }

    private static async Task<IPage> OpenInWebAssemblyAsync(IBrowserContext context, string path, string prefix)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await Expect(page.Locator($"#{prefix}-mode")).ToHaveTextAsync("WebAssembly", new() { Timeout = 30_000 });
        return page;
    }
}
