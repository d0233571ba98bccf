using Microsoft.Extensions.DependencyInjection;
using TypedSessions.Cookies;
using TypedSessions.Core;

namespace TypedSessions.Testing;

/// <summary>
/// The session of a test: every <see cref="ISession{T}"/> and the <see cref="ISessionContext"/> that
/// <c>services.AddTestSessions()</c> registers read and write here.
/// Arrange a state with <see cref="Set{T}"/>, assert it with <see cref="Get{T}"/>.
/// </summary>
/// <remarks>
/// It is the real session core (the same code a request or a circuit runs) over its own memory store,
/// one session with no browser: values are kept serialized by the state's generated serializer, updates
/// are compare-and-set, renew, sign-in and invalidate behave as in production, and subscribers (such as
/// <c>SessionView</c>) are told of every change. Call it from one test at a time.
/// </remarks>
public sealed class TestSessions : ISessionContext, IDisposable
{
    private readonly ServiceProvider _services;
    private readonly IServiceScope _scope;
    private int _signIns;
    private int _invalidateOthers;
    private int _renewals;
    private int _invalidations;
    private int _writes;

    /// <summary>A session on a store of its own, as a new visitor's: nothing stored, no ID yet.</summary>
    public TestSessions()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTypedSessions().UseMemoryStore();
        _services = services.BuildServiceProvider();
        _scope = _services.CreateScope();
        Core = _scope.ServiceProvider.GetRequiredService<ActiveSession>();
        var outbox = _scope.ServiceProvider.GetRequiredService<CookieOutbox>();

        // No browser: a cookie change is "delivered" by taking it out of the outbox.
        Core.Attach(sessionIdFromCookie: null, new TestHost(outbox));
        Directory = new TestSessionDirectory(this, _services.GetRequiredService<ISessionDirectory>());
    }

    /// <summary>Whether the session has no stored state (a visitor's first request).</summary>
    public bool IsNew => Core.IsNew;

    /// <summary>
    /// The user the session is signed in as. Set it to arrange a signed-in test (a real sign-in, not
    /// counted in <see cref="SignInCount"/>); <see langword="null"/> signs out.
    /// </summary>
    public string? UserKey
    {
        get => Core.UserKey;
        set => (value is null ? Core.InvalidateAsync() : Core.SignInAsync(value)).GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public string? Handle => Core.Handle;

    /// <summary>How many times <see cref="ISessionContext.SignInAsync"/> was called.</summary>
    public int SignInCount => Volatile.Read(ref _signIns);

    /// <summary>How many times <see cref="ISessionContext.InvalidateOtherSessionsAsync"/> was called.</summary>
    public int InvalidateOthersCount => Volatile.Read(ref _invalidateOthers);

    /// <summary>How many times <see cref="ISessionContext.RenewAsync"/> was called.</summary>
    public int RenewCount => Volatile.Read(ref _renewals);

    /// <summary>How many times <see cref="ISessionContext.InvalidateAsync"/> was called.</summary>
    public int InvalidateCount => Volatile.Read(ref _invalidations);

    /// <summary>How many writes (set, update, reset, take) were asked of the session, over all states.</summary>
    public int WriteCount => Volatile.Read(ref _writes);

    /// <summary>How many subscriptions are live (a component that forgot to dispose its own shows here).</summary>
    public int SubscriberCount => Core.WatcherCount;

    /// <summary>The session directory over this session's store (what <c>AddTestSessions</c> registers).</summary>
    public TestSessionDirectory Directory { get; }

    internal ActiveSession Core { get; }

    /// <summary>The stored value of <typeparamref name="T"/>, or its default instance.</summary>
    public T Get<T>() where T : ISessionState<T> => Wait(new TypedSession<T>(Core).GetAsync());

    /// <summary>Stores <paramref name="value"/> and waits until every subscriber of <typeparamref name="T"/> has handled the change.</summary>
    /// <remarks>Call it from the test, not from inside a component's render.</remarks>
    public void Set<T>(T value) where T : ISessionState<T>
    {
        Wait(new TypedSession<T>(Core).SetAsync(value));
        Core.WhenWatchersNotifiedAsync().GetAwaiter().GetResult();
    }

    /// <summary>Removes <typeparamref name="T"/>'s slot: it reads as the default instance again.</summary>
    public void Reset<T>() where T : ISessionState<T>
    {
        Wait(new TypedSession<T>(Core).ResetAsync());
        Core.WhenWatchersNotifiedAsync().GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public Task RenewAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _renewals);
        return Core.RenewAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task InvalidateAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _invalidations);
        return Core.InvalidateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task SignInAsync(string userKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userKey);
        Interlocked.Increment(ref _signIns);
        return Core.SignInAsync(userKey, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Counted in <see cref="InvalidateOthersCount"/>; the test's store holds only this session unless the test adds others.</remarks>
    public Task<int> InvalidateOtherSessionsAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _invalidateOthers);
        return Core.InvalidateOtherSessionsAsync(cancellationToken);
    }

    /// <inheritdoc />
    public IDisposable Subscribe(Func<Task> onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        return Core.Subscribe(onChanged);
    }

    /// <summary>Ends the session's scope and its store.</summary>
    public void Dispose()
    {
        _scope.Dispose();
        _services.Dispose();
    }

    internal void Wrote() => Interlocked.Increment(ref _writes);

    // The test's memory store answers synchronously; waiting on it blocks nothing.
    private static T Wait<T>(ValueTask<T> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private static void Wait(ValueTask pending)
    {
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }
}

/// <summary>The host of a test's session: no browser; a cookie change is delivered by taking it out of the outbox.</summary>
internal sealed class TestHost(CookieOutbox outbox) : SessionHost
{
    public override bool CanChangeCookie(object? state) => true;

    public override bool PushesCookies => true;

    public override string? Device(object? state) => TestSessionDirectory.Device;

    public override Task PushCookieAsync(ActiveSession session, CancellationToken cancellationToken)
    {
        outbox.Take();
        return Task.CompletedTask;
    }
}
