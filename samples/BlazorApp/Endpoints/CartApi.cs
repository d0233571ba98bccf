using BlazorApp.State;
using TypedSessions;

namespace BlazorApp.Endpoints;

/// <summary>The cart as a small JSON API, for scripts and for clients other than the pages.</summary>
public static class CartApi
{
    public static IEndpointRouteBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        var cart = app.MapGroup("/api/cart");

        cart.MapGet("/", async (ISession<Cart> session) => Results.Json(Summary(await session.GetAsync())));

        // UpdateAsync re-reads and retries when another request (or another server) wrote the cart
        // meanwhile: concurrent adds all count. No antiforgery token: nothing is bound from a form, and
        // the SameSite=Lax session cookie does not travel with other sites' POSTs.
        cart.MapPost("/{sku}", async (string sku, ISession<Cart> session) =>
            Catalog.Find(sku) is { } product
                ? Results.Json(Summary(await session.UpdateAsync(c => c.Add(product))))
                : Results.NotFound(new { error = $"Unknown product '{sku}'." }));

        return app;
    }

    private static CartSummary Summary(Cart cart) => new(cart.ItemCount, cart.Total, cart.ValidLines.Select(static l => l.Sku).ToList());

    private sealed record CartSummary(int Items, decimal Total, IReadOnlyList<string> Skus);
}
