using BlazorApp.Components.Pages;
using BlazorApp.Components.Shared;
using BlazorApp.State;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TypedSessions.Testing;

namespace TypedSessions.Components.Tests;

public sealed class AccountTests : BunitContext
{
    private readonly TestSessions _session;

    public AccountTests() => _session = Services.AddTestSessions();

    [Fact]
    public void Signing_in_signs_the_session_in_then_stores_the_user_and_lists_this_device()
    {
        var account = Render<Account>();

        account.Find("#sign-in-name").Input("bob");
        account.Find("form").Submit();

        Assert.Equal(1, _session.SignInCount);
        Assert.Equal("bob", _session.UserKey);
        Assert.Equal("bob", _session.Get<UserSession>().User);
        account.WaitForAssertion(() => Assert.Equal("Signed in as bob.", account.Find("#account-status").TextContent));
        account.WaitForAssertion(() => Assert.Equal("Test browser (this device)", account.Find("#devices tr[data-current=true] td").TextContent));
    }

    [Fact]
    public void Signing_out_invalidates_the_session()
    {
        _session.Set(new UserSession("alice"));
        var account = Render<Account>();

        account.Find("#sign-out").Click();

        Assert.Equal(1, _session.InvalidateCount);
        Assert.Null(_session.Get<UserSession>().User);
        account.WaitForAssertion(() => Assert.Equal("Not signed in.", account.Find("#account-status").TextContent));
    }

    [Fact]
    public void The_theme_toggle_switches_and_applies_the_theme()
    {
        var toggle = Render<ThemeToggle>();
        Assert.Contains("color-scheme: light", toggle.Find("style").TextContent, StringComparison.Ordinal);

        toggle.Find("#theme-toggle").Click();

        Assert.Equal(Theme.Dark, _session.Get<Preferences>().Theme);
        toggle.WaitForAssertion(() => Assert.Contains("color-scheme: dark", toggle.Find("style").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void The_cart_badge_follows_the_cart()
    {
        var badge = Render<CartBadge>();
        Assert.Equal("0", badge.Find("#cart-badge").TextContent);

        _session.Set(new Cart().Add(Catalog.Find("mug")!));

        badge.WaitForAssertion(() => Assert.Equal("1", badge.Find("#cart-badge").TextContent));
    }
}
