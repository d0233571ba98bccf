namespace TypedSessions.Testing;

/// <summary>
/// The <see cref="ISessionDirectory"/> that <c>AddTestSessions()</c> registers: the real directory over
/// <see cref="TestSessions"/>' store, where the test's session is listed with the device label
/// <see cref="Device"/> once signed in.
/// </summary>
public sealed class TestSessionDirectory : ISessionDirectory
{
    /// <summary>The device label of the test's session.</summary>
    public const string Device = "Test browser";

    private readonly TestSessions _sessions;
    private readonly ISessionDirectory _directory;

    internal TestSessionDirectory(TestSessions sessions, ISessionDirectory directory)
    {
        _sessions = sessions;
        _directory = directory;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(string userKey, CancellationToken cancellationToken = default) =>
        _directory.GetSessionsAsync(userKey, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Ending the test's own session is seen by its components at once, as a revocation from another device would be.</remarks>
    public async Task<bool> InvalidateAsync(string handle, CancellationToken cancellationToken = default)
    {
        var ended = await _directory.InvalidateAsync(handle, cancellationToken).ConfigureAwait(false);
        await _sessions.Core.WhenWatchersNotifiedAsync().ConfigureAwait(false);
        return ended;
    }

    /// <inheritdoc />
    public async Task<int> InvalidateUserAsync(string userKey, CancellationToken cancellationToken = default)
    {
        var ended = await _directory.InvalidateUserAsync(userKey, cancellationToken).ConfigureAwait(false);
        await _sessions.Core.WhenWatchersNotifiedAsync().ConfigureAwait(false);
        return ended;
    }
}
