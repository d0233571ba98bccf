using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using TypedSessions.Tests.Shared;

namespace TypedSessions.Packaging.Tests;

/// <summary>
/// A fresh app from an SDK template that references the packed packages (never the projects), made
/// strict (warnings as errors, the trimming and AOT analyzers on), built, and run on a free loopback
/// port; stopped by its process ID.
/// </summary>
internal sealed partial class ConsumerApp : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    private ConsumerApp(string directory, string name)
    {
        Directory = directory;
        Name = name;
    }

    public string Directory { get; }

    public string Name { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary><c>dotnet new</c> <paramref name="template"/> into the fixture's folder, as project <paramref name="name"/>.</summary>
    public static async Task<ConsumerApp> CreateAsync(PackagesFixture packages, string name, params string[] template)
    {
        var directory = Path.Combine(packages.Directory, name);
        var (exitCode, output) = await DotnetCli.RunAsync(packages.Directory, TimeSpan.FromMinutes(2),
            ["new", .. template, "--output", directory, "--name", name, "--no-update-check"]);
        Assert.True(exitCode == 0, $"dotnet new {string.Join(' ', template)} failed:\n{output}");
        return new ConsumerApp(directory, name);
    }

    /// <summary>
    /// <c>dotnet new</c> of a template that makes a server and a <c>.Client</c> project (Blazor Auto or
    /// WebAssembly): the app is the server project; the client's files are under <c>../{name}.Client/</c>.
    /// </summary>
    public static async Task<ConsumerApp> CreateWithClientAsync(PackagesFixture packages, string name, params string[] template)
    {
        var solution = await CreateAsync(packages, name, template);
        return new ConsumerApp(Path.Combine(solution.Directory, name), name);
    }

    /// <summary>Adds properties and package references (each at the fixture's version) to the project file.</summary>
    public void EditProject(PackagesFixture packages, string[] packageIds, params (string Name, string Value)[] properties)
    {
        var path = Path.Combine(Directory, Name + ".csproj");
        var extra = new StringBuilder();
        extra.AppendLine("  <PropertyGroup>");
        foreach (var (name, value) in properties)
        {
            extra.AppendLine($"    <{name}>{value}</{name}>");
        }

        extra.AppendLine("  </PropertyGroup>");
        extra.AppendLine("  <ItemGroup>");
        foreach (var id in packageIds)
        {
            extra.AppendLine($"    <PackageReference Include=\"{id}\" Version=\"{packages.Version}\" />");
        }

        extra.AppendLine("  </ItemGroup>");
        var project = File.ReadAllText(path);
        File.WriteAllText(path, project.Replace("</Project>", extra + "</Project>", StringComparison.Ordinal));
    }

    /// <summary>Writes a file of the app (a path relative to the project folder).</summary>
    public void Write(string path, string content)
    {
        var full = Path.Combine(Directory, path);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    /// <summary>Changes a file of the template: inserts <paramref name="text"/> after the line holding <paramref name="anchor"/> (or at the top).</summary>
    public void Insert(string path, string? anchor, string text)
    {
        var full = Path.Combine(Directory, path);
        var content = File.ReadAllText(full).TrimStart('\uFEFF');
        if (anchor is null)
        {
            content = text + "\n" + content;
        }
        else
        {
            var at = content.IndexOf(anchor, StringComparison.Ordinal);
            Assert.True(at >= 0, $"The template's {path} no longer has '{anchor}':\n{content}");
            var end = content.IndexOf('\n', at) + 1;
            content = content[..end] + text + "\n" + content[end..];
        }

        File.WriteAllText(full, content);
    }

    /// <summary>Builds the app in Release; fails on any error or warning.</summary>
    public async Task BuildAsync()
    {
        var (exitCode, output) = await DotnetCli.RunAsync(Directory, TimeSpan.FromMinutes(3), "build", "-c", "Release");
        Assert.True(exitCode == 0, $"{Name} does not build:\n{output}");
        var warnings = Warning().Matches(output).Select(m => m.Value).Distinct().ToList();
        Assert.True(warnings.Count == 0, $"{Name} builds with warnings:\n{string.Join('\n', warnings)}");
    }

    /// <summary>Starts the built app on a free 127.0.0.1 port and waits until it answers.</summary>
    public async Task StartAsync()
    {
        var port = LoopbackPort.Free();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Directory, // the content root: appsettings.json, wwwroot
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(Directory, "bin", "Release", "net10.0", Name + ".dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString());
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"{Name} exited with code {(_process.HasExited ? _process.ExitCode : 0)}:\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri("/", UriKind.Relative));
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200); // not listening yet
            }
        }

        throw new TimeoutException($"{Name} did not answer within a minute:\n{Output}");
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    // MSBuild's and the compiler's "path(line,col): warning CODE: text" lines, and MSBuild's code-less "warning :".
    [GeneratedRegex(@"^.*: warning( [A-Z]+[0-9]+)? ?:.*$", RegexOptions.Multiline)]
    private static partial Regex Warning();
}
