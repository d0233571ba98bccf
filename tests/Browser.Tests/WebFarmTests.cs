using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TypedSessions.Browser.Tests;

/// <summary>One session served by two servers that share Redis and the key ring.</summary>
public sealed class WebFarmTests(WebFarmFixture farm) : IClassFixture<WebFarmFixture>
{
    [Fact]
    public async Task A_session_started_on_server_A_is_read_and_updated_on_server_B()
    {
        var cookies = new CookieContainer();
        using var a = CartApiClient.Create(farm.ServerA.BaseAddress, cookies);
        using var b = CartApiClient.Create(farm.ServerB.BaseAddress, cookies);

        Assert.Equal(1, (await CartApiClient.AddAsync(a, "mug")).Items);
        Assert.Equal(1, (await CartApiClient.GetAsync(b)).Items);
        Assert.Equal(2, (await CartApiClient.AddAsync(b, "tea-green")).Items);
        var seenByA = await CartApiClient.GetAsync(a);

        Assert.Equal(2, seenByA.Items);
        Assert.Equal(["mug", "tea-green"], seenByA.Skus);
    }

    [Fact]
    public async Task Concurrent_updates_through_both_servers_lose_nothing()
    {
        var cookies = new CookieContainer();
        using var a = CartApiClient.Create(farm.ServerA.BaseAddress, cookies);
        using var b = CartApiClient.Create(farm.ServerB.BaseAddress, cookies);
        await CartApiClient.AddAsync(a, "mug"); // the session exists before the race starts

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => CartApiClient.AddAsync(i % 2 == 0 ? a : b, "tea-black")));

        Assert.Equal(41, (await CartApiClient.GetAsync(a)).Items);
        Assert.Equal(41, (await CartApiClient.GetAsync(b)).Items);
    }

    [Fact]
    public async Task The_live_shop_on_server_B_shows_an_add_made_through_server_A()
    {
        await using var context = await farm.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = farm.ServerB.BaseAddress.ToString() });
        var shop = await Pages.OpenInteractiveAsync(context, "/shop");
        await Pages.AddOnShopAsync(shop, "mug", 1); // the circuit on B starts the session and hands the browser its cookie
        var cookie = await Pages.SessionCookieAsync(context);
        Assert.NotNull(cookie);

        using var a = new HttpClient { BaseAddress = farm.ServerA.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/cart/kettle", UriKind.Relative));
        request.Headers.Add("Cookie", $"TypedSessions={cookie}");
        (await a.SendAsync(request)).EnsureSuccessStatusCode();

        await Expect(shop.Locator("#shop-cart-total")).ToHaveTextAsync(Pages.ItemsText(2), new() { Timeout = 5_000 });
    }

    [Fact]
    public async Task Signing_out_other_devices_on_server_B_shows_the_device_on_server_A_signed_out()
    {
        await using var laptop = await farm.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = farm.ServerA.BaseAddress.ToString() });
        await using var phone = await farm.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = farm.ServerB.BaseAddress.ToString() });
        var onA = await Pages.SignInAsync(laptop, "erin");
        var onB = await Pages.SignInAsync(phone, "erin");
        await onB.ReloadAsync();
        await Pages.WaitForCircuitAsync(onB);
        await Expect(onB.Locator("#devices tbody tr")).ToHaveCountAsync(2); // server B lists the session made on A

        await onB.ClickAsync("#sign-out-others");

        await Expect(onA.Locator("#account-status")).ToHaveTextAsync("Not signed in.", new() { Timeout = 2_000 });
        await Expect(onB.Locator("#account-status")).ToHaveTextAsync("Signed in as erin.");
    }
}
