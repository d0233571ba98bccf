using System.Buffers;
using TypedSessions.Serialization;
using TypedSessions.Stores;
using TypedSessions.Diagnostics;

namespace TypedSessions.Core;

/// <summary>The <see cref="ISession{T}"/> of one scope: typed reads and writes of one slot of <see cref="ActiveSession"/>.</summary>
internal sealed class TypedSession<T>(ActiveSession session) : ISession<T> where T : ISessionState<T>
{
    // Serialization goes through one buffer per thread; it is only used between awaits, and the
    // bytes are copied out only when they differ from what is stored.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public async ValueTask<T> GetAsync(CancellationToken cancellationToken = default)
    {
        var slot = await session.GetSlotAsync(T.SessionKey, cancellationToken).ConfigureAwait(false);
        return ValueOf(slot);
    }

    public async ValueTask SetAsync(T value, CancellationToken cancellationToken = default)
    {
        var slot = await session.GetSlotAsync(T.SessionKey, cancellationToken).ConfigureAwait(false);
        var data = SerializeIfChanged(value, slot);
        if (data is null)
        {
            slot.Value = value;
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

    // The read-modify-write under UpdateAsync and TakeAsync: a compare-and-set retried on conflict. A take
    // of an empty slot writes nothing (the default instance stays implicit).
    private async ValueTask<(T Before, T After)> ChangeAsync(Func<T, T> update, bool takeOnly, CancellationToken cancellationToken)
    {
        // Writers of this slot in this process take turns, so they never conflict with each other;
        // compare-and-set (and the retries below) only has to settle writers on other servers.
        using var turn = await session.LockSlotAsync(T.SessionKey, cancellationToken).ConfigureAwait(false);
        var slot = await session.GetSlotAsync(T.SessionKey, cancellationToken).ConfigureAwait(false);
        var maxAttempts = Math.Max(1, session.Options.MaxUpdateAttempts);
        for (var attempt = 1; ; attempt++)
        {
            var before = ValueOf(slot);
            if (takeOnly && slot.Data is null)
            {
                return (before, before);
            }

            var next = update(before);
            var data = SerializeIfChanged(next, slot);
            if (data is null)
            {
                slot.Value = next;
                return (before, next);
            }

            if (await session.TrySaveAsync(slot, data, slot.Version, next, cancellationToken).ConfigureAwait(false))
            {
                return (before, next);
            }

            session.Metrics.UpdateConflict(T.SessionKey);
            if (attempt >= maxAttempts)
            {
                throw new SessionConflictException(
                    $"The session state '{T.SessionKey}' changed under every one of {maxAttempts} update attempts.");
            }

            Log.UpdateRetried(session.Logger, T.SessionKey, attempt);
            await session.ReloadAsync(slot, cancellationToken).ConfigureAwait(false);

            // Writers that collided would collide again in lock step; a short random pause spreads them.
            if (attempt > 2)
            {
                await Task.Delay(Random.Shared.Next(0, Math.Min(attempt, 20)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask ResetAsync(CancellationToken cancellationToken = default)
    {
        var slot = await session.GetSlotAsync(T.SessionKey, cancellationToken).ConfigureAwait(false);
        await session.RemoveAsync(slot, cancellationToken).ConfigureAwait(false);
    }

    public IDisposable Subscribe(Func<Task> onChanged) => session.Watch(T.SessionKey, onChanged);

    private T ValueOf(SlotState slot)
    {
        if (slot.Value is T cached)
        {
            return cached;
        }

        T value;
        if (slot.Data is not { } data)
        {
            value = T.CreateDefault();
        }
        else
        {
            var result = SessionStateSerializer.Deserialize<T>(data.Span);
            value = result.Value;
            if (result.Status == SessionReadStatus.Invalid)
            {
                session.Metrics.SlotUnreadable(T.SessionKey);
                Log.SlotUnreadable(session.Logger, T.SessionKey, session.LogTag, result.Error);
            }
            else if (result.Status == SessionReadStatus.Migrated)
            {
                Log.SlotMigrated(session.Logger, T.SessionKey, session.LogTag);
            }
        }

        slot.Value = value;
        return value;
    }

    /// <summary>The serialized value, or <see langword="null"/> when it equals the stored bytes (nothing to write).</summary>
    private static byte[]? SerializeIfChanged(T value, SlotState slot)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        try
        {
            SessionStateSerializer.Serialize(value, buffer);
            if (slot.Data is { } stored && buffer.WrittenSpan.SequenceEqual(stored.Span))
            {
                return null;
            }

            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity > 64 * 1024)
            {
                t_buffer = null; // do not keep a large state's buffer alive on the thread
            }
        }
    }
}
