using System.Collections.Immutable;
using TypedSessions;

namespace BlazorApp.State;

/// <summary>
/// A shopping cart: the state shared by the Razor Page <c>/cart</c>, the interactive shop and its WebAssembly
/// and Auto twins. <c>ClientAccess</c> lets WebAssembly components read and update it through the client API.
/// </summary>
/// <remarks>
/// A browser may write any value of a <c>ReadWrite</c> state, so the cart holds only what a shopper may
/// choose (which products, how many). Prices come from the server's catalog, never from the cart, and
/// lines the catalog does not know or with a quantity out of range do not count.
/// </remarks>
[SessionState("cart", ClientAccess = SessionClientAccess.ReadWrite)]
public partial record Cart(ImmutableList<CartLine> Lines, string? Coupon = null)
{
    public Cart() : this(ImmutableList<CartLine>.Empty) { }

    /// <summary>The lines that count: a known product and a quantity from 1 to <see cref="CartLine.MaxQuantity"/>.</summary>
    public IEnumerable<CartLine> ValidLines => Lines.Where(static l => l.IsValid);

    public int ItemCount => ValidLines.Sum(static l => l.Quantity);

    public decimal Total => ValidLines.Sum(static l => l.Quantity * l.Price);

    /// <summary>One more of <paramref name="product"/>: a new line, or a higher quantity on its line.</summary>
    public Cart Add(Product product)
    {
        ArgumentNullException.ThrowIfNull(product);
        var index = Lines.FindIndex(l => l.Sku == product.Sku);
        return index < 0
            ? this with { Lines = Lines.Add(new CartLine(product.Sku, 1)) }
            : this with { Lines = Lines.SetItem(index, Lines[index] with { Quantity = Math.Min(CartLine.MaxQuantity, Lines[index].Quantity + 1) }) };
    }

    /// <summary>Removes the line of <paramref name="sku"/>.</summary>
    public Cart Remove(string sku) => this with { Lines = Lines.RemoveAll(l => l.Sku == sku) };
}

/// <summary>A line of the cart: a product and how many, nothing the server must decide.</summary>
public record CartLine(string Sku, int Quantity)
{
    /// <summary>The most of one product a cart counts.</summary>
    public const int MaxQuantity = 99;

    /// <summary>The catalog's price (0 for a product it does not know).</summary>
    public decimal Price => Catalog.Find(Sku)?.Price ?? 0m;

    /// <summary>Whether the line counts: the catalog knows the product, and the quantity is in range.</summary>
    public bool IsValid => Catalog.Find(Sku) is not null && Quantity is > 0 and <= MaxQuantity;
}
