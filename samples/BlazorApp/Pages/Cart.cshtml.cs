using BlazorApp.State;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TypedSessions;

namespace BlazorApp.Pages;

/// <summary>The cart as a classic Razor Page: form posts, then a redirect back (post/redirect/get).</summary>
public class CartModel(ISession<Cart> cart) : PageModel
{
    public Cart Cart { get; private set; } = new();

    public async Task OnGetAsync() => Cart = await cart.GetAsync();

    public async Task<IActionResult> OnPostAddAsync(string sku)
    {
        if (Catalog.Find(sku) is not { } product)
        {
            return BadRequest($"Unknown product '{sku}'.");
        }

        await cart.UpdateAsync(c => c.Add(product));
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveAsync(string sku)
    {
        await cart.UpdateAsync(c => c.Remove(sku));
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostClearAsync()
    {
        await cart.ResetAsync();
        return RedirectToPage();
    }
}
