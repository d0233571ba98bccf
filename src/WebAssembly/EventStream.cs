using TypedSessions.Serialization;

namespace TypedSessions.WebAssembly;

/// <summary>
/// The client's end of the server's change stream (<c>GET events</c>, server-sent events read through a
/// streaming fetch): every change of a client-readable state arrives with its version and bytes and goes
/// to the <see cref="SessionHub"/>. It runs while something watches, and reconnects when it drops or the
/// session changes.
/// </summary>
internal sealed class EventStream(SessionApi api, SessionHub hub, TimeSpan reconnectDelay) : IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _running;
    private volatile bool _connected;

    /// <summary>Whether the stream is connected now (what it delivers is then current).</summary>
    public bool Connected => _connected;

    public void Ensure(bool running)
    {
        lock (_gate)
        {
            if (running && _running is null)
            {
                _running = new CancellationTokenSource();
                _ = RunAsync(_running.Token);
            }
            else if (!running && _running is not null)
            {
                Stop();
            }
        }
    }

    /// <summary>Reconnects (with the cookie the browser holds now), when running.</summary>
    public void Restart()
    {
        lock (_gate)
        {
            if (_running is null)
            {
                return;
            }

            Stop();
            _running = new CancellationTokenSource();
            _ = RunAsync(_running.Token);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Stop();
        }
    }

    private void Stop()
    {
        _running?.Cancel();
        _running?.Dispose();
        _running = null;
        SetConnected(false);
    }

    private void SetConnected(bool connected)
    {
        _connected = connected;
        hub.StreamConnected(connected);
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var delay = reconnectDelay;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                delay = await ReadOnceAsync(stop).ConfigureAwait(false) ?? reconnectDelay;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                // The server went away or restarted: try again after the delay.
            }

            if (stop.IsCancellationRequested)
            {
                return;
            }

            SetConnected(false);
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // One connection: events until the server ends it. Returns the retry delay the server asked for.
    private async Task<TimeSpan?> ReadOnceAsync(CancellationToken stop)
    {
        using var response = await api.SendAsync(HttpMethod.Get, api.Path("events"), body: null, ifMatch: null, stop, stream: true).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop).ConfigureAwait(false));
        TimeSpan? retry = null;
        string? name = null;
        var data = "";
        while (await reader.ReadLineAsync(stop).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null && await DispatchAsync(name, data).ConfigureAwait(false))
                {
                    // A changed session reconnects at once (with the new cookie); no session yet, after the delay.
                    return name == "session" ? TimeSpan.FromMilliseconds(50) : retry;
                }

                name = null;
                data = "";
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
            else if (line.StartsWith("retry: ", StringComparison.Ordinal) && int.TryParse(line["retry: ".Length..], out var ms))
            {
                retry = TimeSpan.FromMilliseconds(Math.Clamp(ms, 100, 60_000));
            }
        }

        return retry;
    }

    private async Task RefreshInfoQuietlyAsync()
    {
        try
        {
            await hub.RefreshInfoAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SessionStoreUnavailableException or OperationCanceledException)
        {
            // The next connection asks again.
        }
    }

    // True when the event ends this connection.
    private async Task<bool> DispatchAsync(string name, string data)
    {
        switch (name)
        {
            case "state":
                var space = data.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0 && SessionClientProtocol.TryDecodeSlot(data[..space], out var version, out var bytes))
                {
                    if (!_connected)
                    {
                        SetConnected(true);
                        _ = RefreshInfoQuietlyAsync();
                    }

                    hub.Observed(data[(space + 1)..], version, bytes, value: null);
                }

                return false;
            case "changed":
                var gap = data.IndexOf(' ', StringComparison.Ordinal);
                if (gap > 0 && long.TryParse(data.AsSpan(0, gap), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var moved))
                {
                    if (!_connected)
                    {
                        SetConnected(true);
                        _ = RefreshInfoQuietlyAsync();
                    }

                    hub.Moved(data[(gap + 1)..], moved);
                }

                return false;
            case "session":
                await hub.OnSessionChangedAsync(restartStream: false).ConfigureAwait(false);
                return true;
            default: // idle: no session to follow yet
                hub.Info = default;
                return true;
        }
    }
}
