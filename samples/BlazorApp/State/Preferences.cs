using TypedSessions;

namespace BlazorApp.State;

/// <summary>Display preferences, used on every page (Blazor and Razor Pages alike).</summary>
[SessionState("prefs")]
public partial record Preferences(Theme Theme = Theme.Light)
{
    public Preferences Toggled() => this with { Theme = Theme == Theme.Light ? Theme.Dark : Theme.Light };
}

/// <summary>The page colours.</summary>
public enum Theme
{
    Light = 0,
    Dark = 1,
}

/// <summary>The CSS of a theme, shared by the Blazor and the Razor Pages layouts.</summary>
public static class ThemeStyles
{
    public static string For(Theme theme) => theme == Theme.Dark
        ? ":root { color-scheme: dark; --page-bg: #1e1f24; --page-fg: #e8e8ea; }"
        : ":root { color-scheme: light; --page-bg: #ffffff; --page-fg: #1e1f24; }";
}
