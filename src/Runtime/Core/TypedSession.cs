using TypedSessions.Stores;

namespace TypedSessions.Core;

/// <summary>The <see cref="ISession{T}"/> of one scope: typed reads and writes of one slot of <see cref="ActiveSession"/>.</summary>
internal sealed class TypedSession<T>(ActiveSession session) : ISession<T> where T : ISessionState<T>
{
    public async ValueTask<T> GetAsync(CancellationToken cancellationToken = default)
    {
        var slot = await session.GetSlotAsync(T.SessionKey, cancellationToken).ConfigureAwait(false);
        return session.ValueOf<T>(slot);
    }

    public async ValueTask SetAsync(T value, CancellationToken cancellationToken = default)
    {
        var slot = await session.GetSlotAsync(T.SessionKey, cancellationToken).ConfigureAwait(false);
        var data = SlotValues.SerializeIfChanged(value, slot);
        if (data is null)
        {
            slot.CacheValue(value);
            return;
        }

        await session.TrySaveAsync(slot, data, StoredSlot.AnyVersion, value, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<T> UpdateAsync(Func<T, T> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return (await ChangeAsync(update, takeOnly: false, cancellationToken).ConfigureAwait(false)).After;
    }

    public async ValueTask<T> TakeAsync(CancellationToken cancellationToken = default) =>
        (await ChangeAsync(static _ => T.CreateDefault(), takeOnly: true, cancellationToken).ConfigureAwait(false)).Before;

    public async ValueTask ResetAsync(CancellationToken cancellationToken = default)
    {
        var slot = await session.GetSlotAsync(T.SessionKey, cancellationToken).ConfigureAwait(false);
        await session.RemoveAsync(slot, cancellationToken).ConfigureAwait(false);
    }

    public IDisposable Subscribe(Func<Task> onChanged) => session.Watch(T.SessionKey, onChanged);

    // The read-modify-write under UpdateAsync and TakeAsync: a compare-and-set retried on conflict. A take
    // of an empty slot writes nothing (the default instance stays implicit).
    private async ValueTask<(T Before, T After)> ChangeAsync(Func<T, T> update, bool takeOnly, CancellationToken cancellationToken)
    {
        // Writers of this slot in this process take turns, so they never conflict with each other;
        // compare-and-set (and the retries below) only has to settle writers on other servers.
        using var turn = await session.LockSlotAsync(T.SessionKey, cancellationToken).ConfigureAwait(false);
        var slot = await session.GetSlotForUpdateAsync(T.SessionKey, cancellationToken).ConfigureAwait(false);
        if (slot.Assumed)
        {
            // This process's remembered copy: one round trip (the compare-and-set) when it is still current.
            // Otherwise, or when the update changes nothing (only the store can say the value is current),
            // the update starts over from a load; a refused guess is not a conflict.
            var before = session.ValueOf<T>(slot);
            var next = update(before);
            if (SlotValues.SerializeIfChanged(next, slot) is { } guessed
                && await session.TrySaveAsync(slot, guessed, slot.Version, next, cancellationToken).ConfigureAwait(false))
            {
                return (before, next);
            }

            await session.ReloadAsync(slot, cancellationToken).ConfigureAwait(false);
        }

        var values = session.Values;
        for (var attempt = 1; ; attempt++)
        {
            var before = session.ValueOf<T>(slot);
            if (takeOnly && slot.Data is null)
            {
                return (before, before);
            }

            var next = update(before);
            var data = SlotValues.SerializeIfChanged(next, slot);
            if (data is null)
            {
                slot.CacheValue(next);
                return (before, next);
            }

            if (await session.TrySaveAsync(slot, data, slot.Version, next, cancellationToken).ConfigureAwait(false))
            {
                return (before, next);
            }

            if (!values.Conflicted(T.SessionKey, attempt))
            {
                throw new SessionConflictException(
                    $"The session state '{T.SessionKey}' changed under every one of {values.MaxUpdateAttempts} update attempts.");
            }

            await session.ReloadAsync(slot, cancellationToken).ConfigureAwait(false);

            // Writers that collided would collide again in lock step; a short random pause spreads them.
            if (attempt > 2)
            {
                await Task.Delay(Random.Shared.Next(0, Math.Min(attempt, 20)), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
