using TypedSessions.Tests.Shared;

namespace TypedSessions.Packaging.Tests;

/// <summary>
/// Packs every shipped package once, into a folder of its own, under a version no earlier run used.
/// </summary>
/// <remarks>
/// The packages are built into their own artifacts folder (<c>--artifacts-path</c>), never over the
/// repository's bin and obj that other tests are using. The version is unique because NuGet caches a
/// package by id and version in the machine's global packages folder: a fixed version would let a
/// consumer restore last run's bits. Those cache entries are deleted at the end.
/// </remarks>
public sealed class PackagesFixture : IAsyncLifetime
{
    public static readonly string[] Projects =
    [
        "src/Abstractions/TypedSessions.Abstractions.csproj",
        "src/Runtime/TypedSessions.csproj",
        "src/Stores/Sqlite/TypedSessions.Sqlite.csproj",
        "src/Stores/Redis/TypedSessions.Redis.csproj",
        "src/Testing/TypedSessions.Testing.csproj",
        "src/WebAssembly/TypedSessions.WebAssembly.csproj",
    ];

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("typedsessions-packaging-").FullName;

    public string Feed => Path.Combine(Directory, "feed");

    public string Version { get; } = $"0.1.0-packagingtest.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    public async Task InitializeAsync()
    {
        foreach (var project in Projects)
        {
            var (exitCode, output) = await DotnetCli.RunAsync(DotnetCli.RepositoryRoot, TimeSpan.FromMinutes(3),
                "pack", project, "-c", "Release", "-o", Feed, "--artifacts-path", Path.Combine(Directory, "artifacts"), $"-p:Version={Version}");
            Assert.True(exitCode == 0, $"dotnet pack {project} failed:\n{output}");
        }

        // A nuget.config above every consumer: this feed first, then the machine's usual sources.
        File.WriteAllText(Path.Combine(Directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="typedsessions-under-test" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
    }

    public async Task DisposeAsync()
    {
        var (_, globalPackages) = await DotnetCli.RunAsync(Directory, TimeSpan.FromMinutes(1), "nuget", "locals", "global-packages", "--list");
        var cache = globalPackages.Split(':', 2)[^1].Trim();
        foreach (var id in Projects.Select(p => Path.GetFileNameWithoutExtension(p).ToLowerInvariant()))
        {
            var cached = Path.Combine(cache, id, Version);
            if (System.IO.Directory.Exists(cached))
            {
                System.IO.Directory.Delete(cached, recursive: true);
            }
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
