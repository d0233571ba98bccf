namespace TypedSessions.Testing;

/// <summary>The <see cref="ISession{T}"/> of a test, kept in <see cref="TestSessions"/>.</summary>
/// <typeparam name="T">A <c>[SessionState]</c> type.</typeparam>
public sealed class TestSession<T>(TestSessions sessions) : ISession<T> where T : ISessionState<T>
{
    /// <inheritdoc />
    public ValueTask<T> GetAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(sessions.Get<T>());

    /// <inheritdoc />
    public async ValueTask SetAsync(T value, CancellationToken cancellationToken = default) =>
        await sessions.WriteAsync(T.SessionKey, Serialization.SessionStateSerializer.SerializeToArray(value)).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<T> UpdateAsync(Func<T, T> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var next = update(sessions.Get<T>());
        await SetAsync(next, cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <inheritdoc />
    public async ValueTask ResetAsync(CancellationToken cancellationToken = default) =>
        await sessions.WriteAsync(T.SessionKey, null).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<T> TakeAsync(CancellationToken cancellationToken = default)
    {
        var value = sessions.Get<T>();
        if (sessions.Read(T.SessionKey) is not null)
        {
            await sessions.WriteAsync(T.SessionKey, null).ConfigureAwait(false);
        }

        return value;
    }

    /// <inheritdoc />
    public IDisposable Subscribe(Func<Task> onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        return sessions.Subscribe(T.SessionKey, onChanged);
    }
}
