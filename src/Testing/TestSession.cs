using TypedSessions.Core;

namespace TypedSessions.Testing;

/// <summary>
/// The <see cref="ISession{T}"/> that <c>AddTestSessions()</c> registers: the real typed session over
/// <see cref="TestSessions"/>' session core, with its writes counted.
/// </summary>
/// <typeparam name="T">The state.</typeparam>
public sealed class TestSession<T>(TestSessions sessions) : ISession<T> where T : ISessionState<T>
{
    private readonly TypedSession<T> _session = new(sessions.Core);

    /// <inheritdoc />
    public ValueTask<T> GetAsync(CancellationToken cancellationToken = default) => _session.GetAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask SetAsync(T value, CancellationToken cancellationToken = default)
    {
        sessions.Wrote();
        return _session.SetAsync(value, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<T> UpdateAsync(Func<T, T> update, CancellationToken cancellationToken = default)
    {
        sessions.Wrote();
        return _session.UpdateAsync(update, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask ResetAsync(CancellationToken cancellationToken = default)
    {
        sessions.Wrote();
        return _session.ResetAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<T> TakeAsync(CancellationToken cancellationToken = default)
    {
        sessions.Wrote();
        return _session.TakeAsync(cancellationToken);
    }

    /// <inheritdoc />
    public IDisposable Subscribe(Func<Task> onChanged) => _session.Subscribe(onChanged);
}
