using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedSessions.Diagnostics;
using TypedSessions.Serialization;
using TypedSessions.Stores;

namespace TypedSessions.Core;

/// <summary>
/// A slot's bytes to its typed value and back, with the logging and metrics of both (an unreadable or
/// migrated slot, an update conflict) in one place for every state.
/// </summary>
internal sealed class SlotValues(SessionMetrics metrics, ILogger<ActiveSession> logger, IOptions<TypedSessionsOptions> options, RecentSlots recent)
{
    // Serialization goes through one buffer per thread; it is only used between awaits, and the
    // bytes are copied out only when they differ from what is stored.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>How many compare-and-set attempts an update makes before it gives up.</summary>
    public int MaxUpdateAttempts { get; } = Math.Max(1, options.Value.MaxUpdateAttempts);

    /// <summary>
    /// The slot's value: the cached one, else the instance shared by every reader of these bytes (a deeply
    /// immutable state), else its bytes deserialized (unreadable bytes give the default instance, logged
    /// and counted), else the default instance.
    /// </summary>
    public T Read<T>(SlotState slot, SessionIdentity session) where T : ISessionState<T>
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
        else if (!Shared<T>(data))
        {
            value = Deserialize<T>(data, session).Value;
        }
        else if (!recent.TryRecallValue(session.StoreId, T.SessionKey, data.Span, out value))
        {
            // Not built for these bytes yet: built now, and kept for the next readers when it is small.
            // Only an instance the deserializer built is shared: exactly the declared types, which the
            // generator proved immutable, and exactly what these bytes mean (a value a handler wrote could
            // be a subclass, or hold what its bytes do not, such as a set's comparer or a null string).
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var result = Deserialize<T>(data, session);
            value = result.Value;
            if (result.Status == SessionReadStatus.Current && GC.GetAllocatedBytesForCurrentThread() - allocatedBefore <= MaxSharedValueBytes)
            {
                recent.Remember(session.StoreId, T.SessionKey, new StoredSlot(data, slot.Version), value);
            }
        }

        slot.CacheValue(value);
        return value;
    }

    // The bytes' value; an unreadable slot (the default instance) is logged and counted, a migrated one logged.
    private SessionReadResult<T> Deserialize<T>(ReadOnlyMemory<byte> data, SessionIdentity session) where T : ISessionState<T>
    {
        var result = SessionStateSerializer.Deserialize<T>(data.Span);
        if (result.Status == SessionReadStatus.Invalid)
        {
            metrics.SlotUnreadable(T.SessionKey);
            Log.SlotUnreadable(logger, T.SessionKey, session.LogTag, result.Error);
        }
        else if (result.Status == SessionReadStatus.Migrated)
        {
            Log.SlotMigrated(logger, T.SessionKey, session.LogTag);
        }

        return result;
    }

    /// <summary>The largest stored slot whose value is shared (checked before deserializing).</summary>
    public const int MaxSharedBytes = 4 * 1024;

    /// <summary>
    /// The most memory a shared value may take, as measured while it was deserialized: small stored bytes
    /// can build a large object (a list of booleans costs a node per byte), and the table keeps up to
    /// 4,096 values, so it holds at most 32 MB.
    /// </summary>
    public const int MaxSharedValueBytes = 8 * 1024;

    private static bool Shared<T>(ReadOnlyMemory<byte> data) where T : ISessionState<T> =>
        T.IsDeeplyImmutable && !typeof(T).IsValueType && data.Length <= MaxSharedBytes;

    /// <summary>The serialized value, or <see langword="null"/> when it equals the stored bytes (nothing to write).</summary>
    public static byte[]? SerializeIfChanged<T>(T value, SlotState slot) where T : ISessionState<T>
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

    /// <summary>An update of <paramref name="key"/> lost its compare-and-set; <see langword="true"/> when it may try again.</summary>
    public bool Conflicted(string key, int attempt)
    {
        metrics.UpdateConflict(key);
        if (attempt >= MaxUpdateAttempts)
        {
            return false;
        }

        Log.UpdateRetried(logger, key, attempt);
        return true;
    }
}
