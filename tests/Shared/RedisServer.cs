using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TypedSessions.Tests.Shared;

/// <summary>
/// A real redis-server of this test's own, on a free loopback port, with no persistence; stopped by
/// its PID when disposed. test.sh installs Debian's redis-server when the machine lacks it.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private bool _disposed;
    private bool _paused;

    private RedisServer(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public int ProcessId => _process.Id;

    /// <summary>Starts a server on <paramref name="port"/> (a restart on the port of a stopped one), or on a free port.</summary>
    public static async Task<RedisServer> StartAsync(int? port = null)
    {
        var binary = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed: run ./test.sh (it installs it) or apt-get install redis-server.");
        var chosenPort = port ?? LoopbackPort.Free();
        var directory = Directory.CreateTempSubdirectory("typedsessions-redis-").FullName;
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", chosenPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, chosenPort, directory);
        await server.WaitUntilListeningAsync();
        return server;
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open and nothing is answered.</summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    /// <summary>Lets a paused server run again (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    /// <summary>Stops the server (a test may do so early, to simulate an outage); safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            if (_paused)
            {
                await ResumeAsync(); // a stopped process would not handle the kill until continued
            }

            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    // The shell's own kill: a minimal machine may lack procps' /usr/bin/kill.
    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("/bin/sh", ["-c", "kill " + signal + " \"$1\"", "sh", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {_process.Id} failed with exit code {kill.ExitCode}.");
        }

        _paused = signal == "-STOP";
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[7];
                var read = await stream.ReadAsync(buffer);
                if (read > 0 && buffer[0] == (byte)'+')
                {
                    return;
                }
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
            }

            if (_process.HasExited || DateTime.UtcNow >= deadline)
            {
                throw new InvalidOperationException($"redis-server did not start on port {Port}.");
            }

            await Task.Delay(50);
        }
    }
}
