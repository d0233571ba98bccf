using BlazorApp.Client.Pages;
using BlazorApp.State;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using TypedSessions.Testing;

namespace TypedSessions.Components.Tests;

/// <summary>
/// The WebAssembly and Auto shops' component (samples/BlazorApp.Client), tested as any component with
/// <c>TypedSessions.Testing</c>: it only knows <c>ISession&lt;Cart&gt;</c> and <c>ISessionContext</c>.
/// </summary>
public sealed class CartPanelTests : BunitContext
{
    private readonly TestSessions _session;

    public CartPanelTests()
    {
        _session = Services.AddTestSessions();
        SetRendererInfo(new RendererInfo("WebAssembly", isInteractive: true));
    }

    private static Product Mug => Catalog.Find("mug")!;

    [Fact]
    public void Shows_the_cart_in_the_session_and_which_renderer_runs_it()
    {
        _session.Set(new Cart().Add(Mug));

        var panel = Render<CartPanel>(p => p.Add(c => c.Prefix, "wasm"));

        Assert.Equal("WebAssembly", panel.Find("#wasm-mode").TextContent);
        Assert.Equal("1 items, total 12.00", panel.Find("#wasm-cart-total").TextContent);
    }

    [Fact]
    public void Adding_updates_the_session_and_a_change_elsewhere_shows_live()
    {
        var panel = Render<CartPanel>(p => p.Add(c => c.Prefix, "wasm"));

        panel.Find("#wasm-add-kettle").Click();
        Assert.Equal(1, _session.Get<Cart>().ItemCount);

        _session.Set(_session.Get<Cart>().Add(Mug)); // a form post in another tab
        panel.WaitForAssertion(() => Assert.Equal("2 items, total 51.99", panel.Find("#wasm-cart-total").TextContent));
        Assert.Equal(1, _session.SubscriberCount);
    }

    [Fact]
    public async Task Renew_and_sign_out_go_to_the_session_and_the_subscription_ends_with_the_component()
    {
        _session.Set(new Cart().Add(Mug));
        var panel = Render<CartPanel>(p => p.Add(c => c.Prefix, "auto"));

        panel.Find("#auto-renew").Click();
        panel.Find("#auto-invalidate").Click();

        Assert.Equal(1, _session.RenewCount);
        Assert.Equal(1, _session.InvalidateCount);
        panel.WaitForAssertion(() => Assert.NotNull(panel.Find("#auto-cart-empty")));
        Assert.Equal("Signed out.", panel.Find("#auto-session-status").TextContent);

        await DisposeComponentsAsync();
        Assert.Equal(0, _session.SubscriberCount);
    }

    [Fact]
    public void A_cart_a_browser_forged_counts_only_known_products_at_the_catalogs_prices()
    {
        // A ReadWrite state can be written with any value from the browser: unknown products, absurd quantities.
        _session.Set(new Cart([new CartLine("mug", 2), new CartLine("free-gold", 1), new CartLine("kettle", int.MaxValue), new CartLine("tea-green", -5)]));

        var panel = Render<CartPanel>(p => p.Add(c => c.Prefix, "wasm"));

        Assert.Equal("2 items, total 24.00", panel.Find("#wasm-cart-total").TextContent);
        Assert.Single(panel.FindAll("tr[data-sku]"));
    }

    [Fact]
    public void Prerendered_it_reads_the_cart_but_offers_no_buttons_yet()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        _session.Set(new Cart().Add(Mug));

        var panel = Render<CartPanel>(p => p.Add(c => c.Prefix, "wasm"));

        Assert.Equal("Prerendered", panel.Find("#wasm-mode").TextContent);
        Assert.True(panel.Find("#wasm-add-mug").HasAttribute("disabled"));
        Assert.Equal(0, _session.SubscriberCount);
    }
}
