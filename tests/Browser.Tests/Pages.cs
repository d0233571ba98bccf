using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TypedSessions.Browser.Tests;

/// <summary>What the tests do on the sample's pages, named as a user would say it.</summary>
internal static class Pages
{
    /// <summary>Opens an interactive page and waits until its circuit is live (Blazor has started).</summary>
    public static async Task<IPage> OpenInteractiveAsync(IBrowserContext context, string path)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await WaitForCircuitAsync(page);
        return page;
    }

    public static async Task WaitForCircuitAsync(IPage page)
    {
        // The navigation bar is an interactive component: it marks itself once the circuit renders it,
        // and all the page's interactive components share that circuit.
        await page.Locator("nav[data-interactive]").WaitForAsync(new() { Timeout = 30_000 });
    }

    /// <summary>Signs in as <paramref name="name"/> on the interactive account page and returns the page.</summary>
    public static async Task<IPage> SignInAsync(IBrowserContext context, string name)
    {
        var account = await OpenInteractiveAsync(context, "/account");
        await account.FillAsync("#sign-in-name", name);
        await account.ClickAsync("#sign-in");
        await Assertions.Expect(account.Locator("#account-status")).ToHaveTextAsync($"Signed in as {name}.");
        return account;
    }

    public static async Task AddOnShopAsync(IPage shop, string sku, int expectedItems)
    {
        await shop.ClickAsync($"#shop-add-{sku}");
        await Assertions.Expect(shop.Locator("#shop-cart-total")).ToHaveTextAsync(ItemsText(expectedItems));
    }

    public static Regex ItemsText(int items) => new($"^{items} items,");

    /// <summary>The session cookie's value in <paramref name="context"/>, or null.</summary>
    public static async Task<string?> SessionCookieAsync(IBrowserContext context) =>
        (await context.CookiesAsync()).FirstOrDefault(c => c.Name == "TypedSessions")?.Value;

    /// <summary>The home page as a plain HTTP client carrying only <paramref name="cookie"/> sees it.</summary>
    public static async Task<string> HomeWithCookieAsync(Uri app, string cookie)
    {
        using var http = new HttpClient { BaseAddress = app };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.Add("Cookie", $"TypedSessions={cookie}");
        using var response = await http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }
}
