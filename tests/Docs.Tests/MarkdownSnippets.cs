using System.Text.RegularExpressions;

namespace TypedSessions.Docs.Tests;

/// <summary>One code block of a markdown document, with what it is compiled as.</summary>
/// <param name="Document">The document's path, relative to the repository root.</param>
/// <param name="Line">The 1-based line of the block's first code line in the document.</param>
/// <param name="Language">The fence's language: <c>csharp</c>, <c>razor</c> or <c>cshtml</c>.</param>
/// <param name="Kind">The marker's value: a file name, <c>program</c>, <c>statements</c> or <c>ignore</c>.</param>
/// <param name="Code">The block's text, without the fences.</param>
internal sealed record MarkdownSnippet(string Document, int Line, string Language, string Kind, string Code);

/// <summary>
/// Finds the C#, Razor and cshtml code blocks of a markdown document. Each must be marked by an HTML
/// comment on the line before its fence (invisible on GitHub), saying what the block is:
/// <code>
/// &lt;!-- snippet: Cart.cs --&gt;            a file of the app (blocks naming the same file are joined in order)
/// &lt;!-- snippet: Pages/Cart.cshtml --&gt;  any path; .cs, .razor and .cshtml files are compiled
/// &lt;!-- snippet: program --&gt;            a whole Program.cs (top-level statements)
/// &lt;!-- snippet: statements --&gt;         lines of a Program.cs, with builder, app and services in scope
/// &lt;!-- snippet: ignore --&gt;             not compiled (say in the text why the block cannot be)
/// </code>
/// </summary>
internal static partial class MarkdownSnippets
{
    private static readonly string[] CompiledLanguages = ["csharp", "cs", "razor", "cshtml"];

    /// <summary>The document's compiled blocks, and a message for each compiled-language block without a marker.</summary>
    public static (IReadOnlyList<MarkdownSnippet> Snippets, IReadOnlyList<string> Problems) Read(string document, string text)
    {
        var snippets = new List<MarkdownSnippet>();
        var problems = new List<string>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        string? previous = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = Fence().Match(lines[i]);
            if (!fence.Success)
            {
                if (lines[i].Trim().Length > 0)
                {
                    previous = lines[i].Trim();
                }

                continue;
            }

            var indent = fence.Groups["indent"].Value.Length;
            var language = fence.Groups["language"].Value;
            var start = i + 1;
            var end = start;
            while (end < lines.Length && !lines[end].Trim().StartsWith("```", StringComparison.Ordinal))
            {
                end++;
            }

            if (CompiledLanguages.Contains(language, StringComparer.OrdinalIgnoreCase))
            {
                var marker = previous is null ? null : Marker().Match(previous);
                var code = string.Join('\n', lines[start..end].Select(l => l.Length >= indent && l[..indent].Trim().Length == 0 ? l[indent..] : l.TrimStart()));
                if (marker is { Success: true })
                {
                    snippets.Add(new MarkdownSnippet(document, start + 1, language, marker.Groups["kind"].Value, code));
                }
                else
                {
                    problems.Add($"{document}({start}): a ```{language} block without a marker: put <!-- snippet: File.cs | program | statements | ignore --> on the line before it.");
                }
            }

            i = end;
            previous = null;
        }

        return (snippets, problems);
    }

    [GeneratedRegex(@"^(?<indent>\s*)```(?<language>[A-Za-z]*)\s*$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^<!--\s*snippet:\s*(?<kind>\S+)\s*-->$")]
    private static partial Regex Marker();
}
