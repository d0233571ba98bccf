using System.Net;
using System.Net.Http.Json;

namespace TypedSessions.Browser.Tests;

/// <summary>The sample's cart JSON API (/api/cart) as plain HTTP clients with cookies use it.</summary>
internal static class CartApiClient
{
    /// <summary>A client of <paramref name="server"/> keeping cookies in <paramref name="cookies"/> (cookies ignore ports, as in browsers).</summary>
    public static HttpClient Create(Uri server, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server };

    public static async Task<CartSummary> AddAsync(HttpClient server, string sku)
    {
        using var response = await server.PostAsync(new Uri($"/api/cart/{sku}", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CartSummary>())!;
    }

    public static async Task<CartSummary> GetAsync(HttpClient server) =>
        (await server.GetFromJsonAsync<CartSummary>(new Uri("/api/cart", UriKind.Relative)))!;

    internal sealed record CartSummary(int Items, decimal Total, IReadOnlyList<string> Skus);
}
