using System.Collections.Immutable;
using TypedSessions;

namespace BlazorApp.State;

/// <summary>
/// A shopping cart: the state shared by the Razor Page <c>/cart</c>, the interactive shop and its WebAssembly
/// and Auto twins. <c>ClientAccess</c> lets WebAssembly components read and update it through the client API.
/// </summary>
[SessionState("cart", ClientAccess = SessionClientAccess.ReadWrite)]
public partial record Cart(ImmutableList<CartLine> Lines, string? Coupon = null)
{
    public Cart() : this(ImmutableList<CartLine>.Empty) { }

    public int ItemCount => Lines.Sum(static l => l.Quantity);

    public decimal Total => Lines.Sum(static l => l.Quantity * l.Price);

    /// <summary>One more of <paramref name="product"/>: a new line, or a higher quantity on its line.</summary>
    public Cart Add(Product product)
    {
        ArgumentNullException.ThrowIfNull(product);
        var index = Lines.FindIndex(l => l.Sku == product.Sku);
        return index < 0
            ? this with { Lines = Lines.Add(new CartLine(product.Sku, 1, product.Price)) }
            : this with { Lines = Lines.SetItem(index, Lines[index] with { Quantity = Lines[index].Quantity + 1 }) };
    }

    /// <summary>Removes the line of <paramref name="sku"/>.</summary>
    public Cart Remove(string sku) => this with { Lines = Lines.RemoveAll(l => l.Sku == sku) };
}

/// <summary>A line of the cart.</summary>
public record CartLine(string Sku, int Quantity, decimal Price);
