namespace TypedSessions.Testing;

/// <summary>
/// The <see cref="ISessionDirectory"/> of a test: the test's one session (<see cref="TestSessions"/>) is the
/// only session there is. It is listed for its <see cref="TestSessions.UserKey"/>, as "Test browser", and
/// ending it invalidates it.
/// </summary>
public sealed class TestSessionDirectory(TestSessions sessions) : ISessionDirectory
{
    /// <summary>The device label the test session is listed with.</summary>
    public const string Device = "Test browser";

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(string userKey, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SessionInfo> listed = sessions.UserKey == userKey && sessions.Handle is { } handle
            ? [new SessionInfo(handle, userKey, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, Device)]
            : [];
        return Task.FromResult(listed);
    }

    /// <inheritdoc />
    public async Task<bool> InvalidateAsync(string handle, CancellationToken cancellationToken = default)
    {
        if (sessions.Handle != handle)
        {
            return false;
        }

        await sessions.InvalidateAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<int> InvalidateUserAsync(string userKey, CancellationToken cancellationToken = default)
    {
        if (sessions.UserKey != userKey)
        {
            return 0;
        }

        await sessions.InvalidateAsync(cancellationToken).ConfigureAwait(false);
        return 1;
    }
}
