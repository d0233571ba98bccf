using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using TypedSessions.Serialization;

namespace TypedSessions.WebAssembly;

/// <summary>
/// What the client knows of the session's states, and who watches them: the client-side counterpart of
/// the server's slot cache and watchers. Every <see cref="ISession{T}"/> and the
/// <see cref="ISessionContext"/> of the app share it.
/// </summary>
/// <remarks>
/// A cached state is served without asking the server only while the change stream is connected (it
/// delivers every change, with the bytes), or once, right after a prerendered page handed it over. The
/// stream runs while something watches; otherwise each read asks the server, so a read is never staler
/// than one round trip.
/// </remarks>
internal sealed class SessionHub : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly List<Watcher> _watchers = [];
    private readonly PersistentComponentState? _handoff;
    private readonly EventStream _stream;

    public SessionHub(SessionApi api, IOptions<TypedSessionsWebAssemblyOptions> options, IServiceProvider services)
    {
        Api = api;
        MaxUpdateAttempts = Math.Max(1, options.Value.MaxUpdateAttempts);
        _handoff = (PersistentComponentState?)services.GetService(typeof(PersistentComponentState));
        _stream = new EventStream(api, this, options.Value.ReconnectDelay);
        api.SessionChanged += () => _ = OnSessionChangedAsync(restartStream: true);
    }

    public SessionApi Api { get; }

    public int MaxUpdateAttempts { get; }

    /// <summary>The session's handle and user as the server last said (<c>GET session</c>).</summary>
    public (string? Handle, string? UserKey) Info { get; set; }

    /// <summary>Asks the server for the session's handle and user (<see cref="Info"/>).</summary>
    public async Task RefreshInfoAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Api.SendAsync(HttpMethod.Get, Api.Path("session"), body: null, ifMatch: null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            await SessionApi.ThrowFailureAsync(response, "the session", cancellationToken).ConfigureAwait(false);
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        Info = (json.RootElement.GetProperty("handle").GetString(), json.RootElement.GetProperty("userKey").GetString());
    }

    /// <summary>The known version, bytes and value of state <paramref name="key"/>, when it can be served without asking.</summary>
    public bool TryGetCurrent(string key, [NotNullWhen(true)] out Entry? entry)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out entry) && (entry.Confirmed || entry.HandedOver))
            {
                entry.HandedOver = false;
                return true;
            }
        }

        if (TakeHandoff(key) is { } handed)
        {
            entry = handed;
            return true;
        }

        entry = null;
        return false;
    }

    /// <summary>Records what the server said the state is; watchers are told when its version moved.</summary>
    public void Observed(string key, long version, byte[] data, object? value, bool notify = true)
    {
        bool moved;
        lock (_gate)
        {
            moved = !_entries.TryGetValue(key, out var known) || known.Version != version;
            _entries[key] = new Entry(version, data, value) { Confirmed = _stream.Connected };
        }

        if (moved && notify)
        {
            Notify(key);
        }
    }

    /// <summary>A state too large to be sent with its notice is now at <paramref name="version"/>: what is cached of another version is dropped, and its watchers told (they read it).</summary>
    public void Moved(string key, long version)
    {
        bool moved;
        lock (_gate)
        {
            moved = !_entries.TryGetValue(key, out var known) || known.Version != version;
            if (moved)
            {
                _entries.Remove(key);
            }
        }

        if (moved)
        {
            Notify(key);
        }
    }

    /// <summary>Keeps the typed value of the bytes last seen, so repeated reads do not deserialize again.</summary>
    public void CacheValue(string key, long version, object value)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.Version == version)
            {
                entry.Value = value;
            }
        }
    }

    public IDisposable Watch(string? key, Func<Task> onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        var watcher = new Watcher(this, key, onChanged);
        lock (_gate)
        {
            _watchers.Add(watcher);
        }

        _stream.Ensure(running: true);
        return watcher;
    }

    /// <summary>The stream (re)connected or dropped: what is cached is confirmed only while it is up.</summary>
    public void StreamConnected(bool connected)
    {
        if (connected)
        {
            return; // each state is confirmed by the stream's first event for it
        }

        lock (_gate)
        {
            foreach (var entry in _entries.Values)
            {
                entry.Confirmed = false;
            }
        }
    }

    /// <summary>The session itself changed (renewed, ended, signed in or out): nothing cached holds, everyone is told.</summary>
    public async Task OnSessionChangedAsync(bool restartStream)
    {
        lock (_gate)
        {
            _entries.Clear();
        }

        if (restartStream)
        {
            _stream.Restart();
        }

        await NotifyAllAsync().ConfigureAwait(false);
    }

    public void Dispose() => _stream.Dispose();

    private Entry? TakeHandoff(string key)
    {
        try
        {
            if (_handoff is null || !TryTake(_handoff, SessionClientProtocol.HandoffKey(key), out var text)
                || !SessionClientProtocol.TryDecodeSlot(text, out var version, out var data))
            {
                return null;
            }

            var entry = new Entry(version, data, null);
            lock (_gate)
            {
                _entries.TryAdd(key, entry);
            }

            return entry;
        }
        catch (InvalidOperationException)
        {
            return null; // the handed-over state is gone once the first render is done
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "A string needs no metadata the trimmer could remove.")]
    private static bool TryTake(PersistentComponentState state, string key, out string? text) => state.TryTakeFromJson(key, out text);

    private void Notify(string key)
    {
        Watcher[] targets;
        lock (_gate)
        {
            targets = _watchers.Where(w => w.Key == key).ToArray();
        }

        foreach (var target in targets)
        {
            _ = target.NotifyAsync();
        }
    }

    private Task NotifyAllAsync()
    {
        Watcher[] targets;
        lock (_gate)
        {
            targets = [.. _watchers];
        }

        return Task.WhenAll(targets.Select(static t => t.NotifyAsync()));
    }

    private void Remove(Watcher watcher)
    {
        bool none;
        lock (_gate)
        {
            _watchers.Remove(watcher);
            none = _watchers.Count == 0;
        }

        if (none)
        {
            _stream.Ensure(running: false);
        }
    }

    /// <summary>One state as the server last said it.</summary>
    internal sealed class Entry(long version, byte[] data, object? value)
    {
        public long Version { get; } = version;

        public byte[] Data { get; } = data;

        public object? Value { get; set; } = value;

        /// <summary>The change stream has confirmed it and will say when it changes.</summary>
        public bool Confirmed { get; set; }

        /// <summary>Handed over by the prerendered page and not served yet.</summary>
        public bool HandedOver { get; set; }
    }

    private sealed class Watcher(SessionHub hub, string? key, Func<Task> onChanged) : IDisposable
    {
        public string? Key => key;

        public async Task NotifyAsync()
        {
            try
            {
                await onChanged().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A watcher's failure is its own (a disposed component, say); the others are still told.
            }
        }

        public void Dispose() => hub.Remove(this);
    }
}
