using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace TypedSessions.Benchmarks;

/// <summary>A realistic slot: a cart of a few lines, a coupon and a time.</summary>
[SessionState("bench-cart")]
public partial record CartState(ImmutableList<CartLine> Lines, string? Coupon = null, DateTimeOffset UpdatedAt = default)
{
    public CartState() : this(ImmutableList<CartLine>.Empty) { }

    public static CartState Sample { get; } = new(
        [
            new CartLine("tea-green", 2, 6.50m),
            new CartLine("tea-black", 1, 5.90m),
            new CartLine("mug", 4, 12.00m),
            new CartLine("kettle", 1, 39.99m),
        ],
        "WELCOME10",
        new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.FromHours(1)));

    /// <summary>One more of the first line; an empty cart becomes the sample cart.</summary>
    public CartState AddOne() => Lines.IsEmpty ? Sample : this with { Lines = Lines.SetItem(0, Lines[0] with { Quantity = Lines[0].Quantity + 1 }) };
}

public record CartLine(string Sku, int Quantity, decimal Price);

/// <summary>A small slot beside the cart: who the user is and a few flags.</summary>
[SessionState("bench-user")]
public partial record UserState(string UserName = "", bool SignedIn = false, bool IsAdmin = false, bool Newsletter = false, bool DarkMode = false)
{
    public static UserState Sample { get; } = new("alice.martin", SignedIn: true, IsAdmin: false, Newsletter: true, DarkMode: true);
}

/// <summary>System.Text.Json's source-generated serializer for the same types: the comparison DESIGN.md §8 names.</summary>
[JsonSerializable(typeof(CartState))]
[JsonSerializable(typeof(UserState))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
