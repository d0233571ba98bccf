namespace TypedSessions.Users;

/// <summary>
/// A short label of a browser and its system ("Firefox on Linux") from a User-Agent, for a list of a
/// user's sessions. Never the raw header: the label is one of a fixed set of words, so nothing a
/// client sends is stored or shown as it is.
/// </summary>
internal static class DeviceLabel
{
    // Order matters: Edge and Opera also say Chrome; Chrome also says Safari; Android also says Linux.
    private static readonly (string Token, string Name)[] Browsers =
    [
        ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("HeadlessChrome/", "Chrome"), ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"), ("Safari/", "Safari"), ("curl/", "curl"),
    ];

    private static readonly (string Token, string Name)[] Systems =
    [
        ("Windows", "Windows"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Mac OS X", "macOS"), ("Android", "Android"),
        ("CrOS", "ChromeOS"), ("Linux", "Linux"),
    ];

    public static string? From(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return null;
        }

        var browser = Find(Browsers, userAgent) ?? "A browser";
        var system = Find(Systems, userAgent);
        return system is null ? browser : $"{browser} on {system}";
    }

    private static string? Find((string Token, string Name)[] table, string userAgent)
    {
        foreach (var (token, name) in table)
        {
            if (userAgent.Contains(token, StringComparison.Ordinal))
            {
                return name;
            }
        }

        return null;
    }
}
