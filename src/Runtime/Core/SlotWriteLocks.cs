using TypedSessions.Stores;

namespace TypedSessions.Core;

/// <summary>
/// Serializes the read-modify-writes of one slot within this process, so that writers on one server
/// never collide with each other: compare-and-set then only arbitrates between servers. A fixed set of
/// striped locks, so the memory does not grow with the number of sessions; two slots that share a stripe
/// merely wait for each other.
/// </summary>
/// <remarks>
/// A lock is held only for one <see cref="ISession{T}.UpdateAsync"/> (whose update function is
/// synchronous), and never while another is taken, so stripes cannot deadlock.
/// </remarks>
internal sealed class SlotWriteLocks
{
    private const int StripeCount = 1024; // a power of two

    private readonly SemaphoreSlim[] _stripes = CreateStripes();

    /// <summary>Waits for the lock of slot <paramref name="key"/> of <paramref name="session"/>; dispose the result to release it.</summary>
    public async ValueTask<Releaser> AcquireAsync(SessionStoreId session, string key, CancellationToken cancellationToken)
    {
        var stripe = _stripes[HashCode.Combine(session, key) & (StripeCount - 1)];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(stripe);
    }

    private static SemaphoreSlim[] CreateStripes()
    {
        var stripes = new SemaphoreSlim[StripeCount];
        for (var i = 0; i < stripes.Length; i++)
        {
            stripes[i] = new SemaphoreSlim(1, 1);
        }

        return stripes;
    }

    /// <summary>Releases a held lock when disposed; <c>default</c> holds none.</summary>
    public readonly struct Releaser(SemaphoreSlim? stripe) : IDisposable
    {
        public void Dispose() => stripe?.Release();
    }
}
