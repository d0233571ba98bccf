namespace BlazorApp.State;

/// <summary>Something the sample shop sells.</summary>
public record Product(string Sku, string Name, decimal Price);

/// <summary>The sample's fixed product list.</summary>
public static class Catalog
{
    public static IReadOnlyList<Product> Products { get; } =
    [
        new("tea-green", "Green tea, 100 g", 6.50m),
        new("tea-black", "Black tea, 100 g", 5.90m),
        new("mug", "Stoneware mug", 12.00m),
        new("kettle", "Gooseneck kettle", 39.99m),
    ];

    public static Product? Find(string? sku) => Products.FirstOrDefault(p => p.Sku == sku);

    public static string NameOf(string sku) => Find(sku)?.Name ?? sku;
}
