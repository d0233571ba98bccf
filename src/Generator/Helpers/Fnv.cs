using System.Text;

namespace TypedSessions.Generator.Helpers;

/// <summary>
/// FNV-1a over UTF-8: the key hash and schema fingerprint written into the generated code. It must
/// give the same value on every machine and every run, which string.GetHashCode does not.
/// </summary>
internal static class Fnv
{
    public static uint Hash32(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash;
    }

    public static ulong Hash64(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }

        return hash;
    }
}
