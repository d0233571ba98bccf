namespace TypedSessions.Stores;

/// <summary>
/// When a stored session expires: <see cref="TypedSessionsOptions.IdleTimeout"/> after its last use, or
/// <see cref="TypedSessionsOptions.AbsoluteLifetime"/> after its creation, whichever comes first. Times
/// are Unix milliseconds, the form server stores keep them in.
/// </summary>
/// <remarks>
/// Stores take "now" from the application's <see cref="TimeProvider"/> rather than their own clock, so
/// every store expires sessions on the same clock (and tests can move it).
/// </remarks>
public readonly record struct SessionLifetime(long IdleMilliseconds, long AbsoluteMilliseconds)
{
    /// <summary>How long a store remembers that an ID was renewed away (<see cref="SessionLoadResult.RenewedAway"/>): long enough for the requests in flight at a sign-in.</summary>
    public static readonly TimeSpan RenewedAwayFor = TimeSpan.FromMinutes(1);

    /// <summary>The lifetime set by <paramref name="options"/>.</summary>
    public static SessionLifetime From(TypedSessionsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new((long)options.IdleTimeout.TotalMilliseconds, (long)options.AbsoluteLifetime.TotalMilliseconds);
    }

    /// <summary>The moment a session created at <paramref name="createdAt"/> and last used at <paramref name="lastAccess"/> expires.</summary>
    public long ExpiresAt(long createdAt, long lastAccess) => Math.Min(lastAccess + IdleMilliseconds, createdAt + AbsoluteMilliseconds);

    /// <summary>Whether that session has expired at <paramref name="now"/>: it is still alive at the very moment <see cref="ExpiresAt"/>.</summary>
    public bool IsExpired(long createdAt, long lastAccess, long now) => now > ExpiresAt(createdAt, lastAccess);
}
