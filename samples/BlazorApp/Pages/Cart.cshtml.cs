using BlazorApp.State;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TypedSessions;

namespace BlazorApp.Pages;

/// <summary>The cart as a classic Razor Page: form posts, then a redirect back (post/redirect/get).</summary>
public class CartModel(ISession<Cart> cart, ISession<Flash> flash) : PageModel
{
    public Cart Cart { get; private set; } = new();

    /// <summary>What the last form post said, shown once after its redirect.</summary>
    public string Message { get; private set; } = "";

    public async Task OnGetAsync()
    {
        Cart = await cart.GetAsync();
        Message = (await flash.TakeAsync()).Message;
    }

    public async Task<IActionResult> OnPostAddAsync(string sku)
    {
        if (Catalog.Find(sku) is not { } product)
        {
            return BadRequest($"Unknown product '{sku}'.");
        }

        await cart.UpdateAsync(c => c.Add(product));
        await flash.SetAsync(new Flash($"Added {product.Name} to your cart."));
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
