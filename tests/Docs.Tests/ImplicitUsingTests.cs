using TypedSessions.Tests.Shared;

namespace TypedSessions.Docs.Tests;

/// <summary>
/// The TypedSessions package's <c>buildTransitive/TypedSessions.props</c> makes <c>TypedSessions</c> a
/// global using where the project has implicit usings on, unless it opts out, and on request where it
/// has them off. Checked by evaluating a small project that imports the props (no build).
/// </summary>
public sealed class ImplicitUsingTests
{
    [Theory]
    [InlineData("enable", "", true)]
    [InlineData("true", "", true)]
    [InlineData("enable", "false", false)]
    [InlineData("disable", "", false)]
    [InlineData("disable", "true", true)]
    public async Task TypedSessions_is_a_global_using_as_the_properties_say(string implicitUsings, string typedSessionsImplicitUsings, bool expected)
    {
        var directory = Directory.CreateTempSubdirectory("typedsessions-usings-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(directory, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk.Web">
                  <Import Project="{DotnetCli.RepositoryRoot}src/Abstractions/buildTransitive/TypedSessions.Abstractions.props" />
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>{implicitUsings}</ImplicitUsings>
                    <TypedSessionsImplicitUsings>{typedSessionsImplicitUsings}</TypedSessionsImplicitUsings>
                  </PropertyGroup>
                </Project>
                """);

            var (exitCode, output) = await DotnetCli.RunAsync(directory, TimeSpan.FromMinutes(1), "msbuild", "App.csproj", "-getItem:Using");

            Assert.True(exitCode == 0, output);
            Assert.Equal(expected, output.Contains("\"Identity\": \"TypedSessions\"", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
