using BlazorApp.State;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TypedSessions;

namespace BlazorApp.Pages;

/// <summary>The theme switch of the Razor Pages layout: a form post, then back where it came from.</summary>
public class PreferencesModel(ISession<Preferences> preferences) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Cart");

    public async Task<IActionResult> OnPostAsync(string? returnUrl)
    {
        await preferences.UpdateAsync(static p => p.Toggled());
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
