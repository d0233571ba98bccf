using System.Text.RegularExpressions;
using TypedSessions.Tests.Shared;

namespace TypedSessions.Docs.Tests;

/// <summary>
/// Each diagnostic's help link (<c>docs/troubleshooting.md#ts0001</c>, …) leads to a section headed by
/// its id. The ids are those the analyzer's release tracking files declare.
/// </summary>
public sealed partial class TroubleshootingTests
{
    [Fact]
    public void Every_diagnostic_has_a_section_its_help_link_can_point_to()
    {
        var releases = string.Concat(
            File.ReadAllText(Path.Combine(DotnetCli.RepositoryRoot, "src/Generator/AnalyzerReleases.Shipped.md")),
            File.ReadAllText(Path.Combine(DotnetCli.RepositoryRoot, "src/Generator/AnalyzerReleases.Unshipped.md")));
        var troubleshooting = File.ReadAllText(Path.Combine(DotnetCli.RepositoryRoot, "docs/troubleshooting.md"));
        var ids = RuleId().Matches(releases).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Matches(new Regex($"^### {id}$", RegexOptions.Multiline), troubleshooting));
    }

    [GeneratedRegex(@"^(TS\d{4}) \|", RegexOptions.Multiline)]
    private static partial Regex RuleId();
}
