using BlazorApp.Components.Pages;
using BlazorApp.State;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TypedSessions.Testing;

namespace TypedSessions.Components.Tests;

public sealed class ShopTests : BunitContext
{
    private readonly TestSessions _session;

    public ShopTests() => _session = Services.AddTestSessions();

    private static Product Mug => Catalog.Find("mug")!;

    [Fact]
    public void Shows_the_cart_already_in_the_session()
    {
        _session.Set(new Cart().Add(Mug).Add(Mug));

        var shop = Render<Shop>();

        Assert.Equal("2 items, total 24.00", shop.Find("#shop-cart-total").TextContent);
        Assert.Equal("2", shop.Find("tr[data-sku=mug] .quantity").TextContent);
    }

    [Fact]
    public void Adding_a_product_writes_the_session_and_shows_it()
    {
        var shop = Render<Shop>();
        Assert.NotNull(shop.Find("#shop-cart-empty"));

        shop.Find("#shop-add-kettle").Click();

        Assert.Equal(1, _session.Get<Cart>().ItemCount);
        shop.WaitForAssertion(() => Assert.Equal("1 items, total 39.99", shop.Find("#shop-cart-total").TextContent));
    }

    [Fact]
    public void A_change_made_elsewhere_shows_without_any_action_of_the_component()
    {
        var shop = Render<Shop>();

        _session.Set(new Cart().Add(Mug)); // as a form post in another tab would

        shop.WaitForAssertion(() => Assert.Equal("1 items, total 12.00", shop.Find("#shop-cart-total").TextContent));
    }

    [Fact]
    public void Emptying_the_cart_resets_the_slot()
    {
        _session.Set(new Cart().Add(Mug));
        var shop = Render<Shop>();

        shop.Find("#shop-clear").Click();

        Assert.True(_session.Get<Cart>().Lines.IsEmpty);
        shop.WaitForAssertion(() => Assert.NotNull(shop.Find("#shop-cart-empty")));
    }

    [Fact]
    public async Task The_subscriptions_end_with_the_component()
    {
        Render<Shop>();
        Assert.Equal(1, _session.SubscriberCount);

        await DisposeComponentsAsync();

        Assert.Equal(0, _session.SubscriberCount);
    }
}
