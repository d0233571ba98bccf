using TypedSessions.Serialization;

namespace TypedSessions.Testing;

/// <summary>
/// The session of a test: every <see cref="ISession{T}"/> and the <see cref="ISessionContext"/> that
/// <c>services.AddTestSessions()</c> registers read and write here.
/// Arrange a state with <see cref="Set{T}"/>, assert it with <see cref="Get{T}"/>.
/// </summary>
/// <remarks>
/// Values are kept serialized by the state's generated serializer, as a real store keeps them, so a
/// state that does not round-trip fails in the test too. Subscribers (such as <c>SessionView</c>) are
/// told of every change. Thread-safe.
/// </remarks>
public sealed class TestSessions : ISessionContext
{
    private readonly Dictionary<string, byte[]> _slots = new(StringComparer.Ordinal);
    private readonly List<(string? Key, Func<Task> OnChanged)> _subscribers = [];
    private readonly Lock _gate = new();

    /// <summary>Whether the session has no stored state (a visitor's first request).</summary>
    public bool IsNew
    {
        get
        {
            lock (_gate)
            {
                return _slots.Count == 0;
            }
        }
    }

    /// <summary>The user the session is signed in as: set it to arrange a signed-in test, read it after <see cref="SignInAsync"/>.</summary>
    public string? UserKey { get; set; }

    /// <summary>A fixed handle while the session has state or a user; <see langword="null"/> for a new visitor.</summary>
    public string? Handle => IsNew && UserKey is null ? null : "test-session";

    /// <summary>How many times <see cref="ISessionContext.SignInAsync"/> was called.</summary>
    public int SignInCount { get; private set; }

    /// <summary>How many times <see cref="ISessionContext.InvalidateOtherSessionsAsync"/> was called.</summary>
    public int InvalidateOthersCount { get; private set; }

    /// <summary>How many times <see cref="ISessionContext.RenewAsync"/> was called.</summary>
    public int RenewCount { get; private set; }

    /// <summary>How many times <see cref="ISessionContext.InvalidateAsync"/> was called.</summary>
    public int InvalidateCount { get; private set; }

    /// <summary>How many writes (set, update, reset) reached the session, over all states.</summary>
    public int WriteCount { get; private set; }

    /// <summary>How many subscriptions are live (a component that forgot to dispose its own shows here).</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>The stored value of <typeparamref name="T"/>, or its default instance.</summary>
    public T Get<T>() where T : ISessionState<T>
    {
        byte[]? data;
        lock (_gate)
        {
            _slots.TryGetValue(T.SessionKey, out data);
        }

        return data is null ? T.CreateDefault() : SessionStateSerializer.Deserialize<T>(data).Value;
    }

    /// <summary>Stores <paramref name="value"/> and waits until every subscriber of <typeparamref name="T"/> has handled the change.</summary>
    /// <remarks>Call it from the test, not from inside a component's render.</remarks>
    public void Set<T>(T value) where T : ISessionState<T> => WriteAsync(T.SessionKey, SessionStateSerializer.SerializeToArray(value)).GetAwaiter().GetResult();

    /// <summary>Removes <typeparamref name="T"/>'s slot: it reads as the default instance again.</summary>
    public void Reset<T>() where T : ISessionState<T> => WriteAsync(T.SessionKey, null).GetAwaiter().GetResult();

    /// <inheritdoc />
    public Task RenewAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            RenewCount++;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task InvalidateAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            InvalidateCount++;
            _slots.Clear();
            UserKey = null;
        }

        return NotifyAsync(key: null);
    }

    /// <inheritdoc />
    public Task SignInAsync(string userKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userKey);
        lock (_gate)
        {
            SignInCount++;
            UserKey = userKey;
        }

        return NotifyAsync(key: null);
    }

    /// <inheritdoc />
    /// <remarks>A test session has no other sessions: counted in <see cref="InvalidateOthersCount"/>, and 0 is returned.</remarks>
    public Task<int> InvalidateOtherSessionsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            InvalidateOthersCount++;
        }

        return Task.FromResult(0);
    }

    /// <inheritdoc />
    public IDisposable Subscribe(Func<Task> onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        return Subscribe(key: null, onChanged);
    }

    internal Task WriteAsync(string key, byte[]? data)
    {
        lock (_gate)
        {
            WriteCount++;
            if (data is null)
            {
                _slots.Remove(key);
            }
            else
            {
                _slots[key] = data;
            }
        }

        return NotifyAsync(key);
    }

    internal byte[]? Read(string key)
    {
        lock (_gate)
        {
            return _slots.GetValueOrDefault(key);
        }
    }

    internal IDisposable Subscribe(string? key, Func<Task> onChanged)
    {
        var entry = (key, onChanged);
        lock (_gate)
        {
            _subscribers.Add(entry);
        }

        return new Subscription(this, entry);
    }

    private Task NotifyAsync(string? key)
    {
        Func<Task>[] targets;
        lock (_gate)
        {
            targets = _subscribers.Where(s => key is null || s.Key == key).Select(s => s.OnChanged).ToArray();
        }

        return Task.WhenAll(targets.Select(t => t()));
    }

    private sealed class Subscription(TestSessions owner, (string?, Func<Task>) entry) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._subscribers.Remove(entry);
            }
        }
    }
}
