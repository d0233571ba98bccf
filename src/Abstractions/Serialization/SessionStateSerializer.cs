using System.Buffers;
using System.Buffers.Binary;

namespace TypedSessions.Serialization;

/// <summary>
/// Turns a state into bytes and back, with the format header: a format version, the state's key hash
/// and its schema fingerprint. Reading never throws: unreadable bytes give the default instance.
/// </summary>
public static class SessionStateSerializer
{
    /// <summary>The version of the binary format written by this runtime.</summary>
    public const byte FormatVersion = 1;

    /// <summary>Size of the header: version (1), key hash (4), fingerprint (low 4 bytes).</summary>
    public const int HeaderSize = 9;

    /// <summary>Writes <paramref name="value"/>, header included, to <paramref name="output"/>.</summary>
    public static void Serialize<T>(T value, IBufferWriter<byte> output) where T : ISessionState<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> header = stackalloc byte[HeaderSize];
        header[0] = FormatVersion;
        BinaryPrimitives.WriteUInt32LittleEndian(header[1..], T.SessionKeyHash);
        BinaryPrimitives.WriteUInt32LittleEndian(header[5..], (uint)T.SchemaFingerprint);

        var writer = new SessionWriter(output);
        writer.WriteRaw(header);
        T.Serialize(ref writer, value);
        writer.Flush();
    }

    /// <summary>Writes <paramref name="value"/>, header included, to a new array.</summary>
    public static byte[] SerializeToArray<T>(T value) where T : ISessionState<T>
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        Serialize(value, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads a state. Truncated, corrupt or foreign bytes, or a member whose type changed, give the
    /// default instance with <see cref="SessionReadStatus.Invalid"/>; this method does not throw.
    /// </summary>
    public static SessionReadResult<T> Deserialize<T>(ReadOnlySpan<byte> data) where T : ISessionState<T>
    {
        if (data.Length < HeaderSize)
        {
            return Invalid<T>("The data is shorter than the format header.");
        }

        if (data[0] != FormatVersion)
        {
            return Invalid<T>($"Unknown format version {data[0]}.");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(data[1..]) != T.SessionKeyHash)
        {
            return Invalid<T>($"The data belongs to another state than '{T.SessionKey}'.");
        }

        var status = BinaryPrimitives.ReadUInt32LittleEndian(data[5..]) == (uint)T.SchemaFingerprint
            ? SessionReadStatus.Current
            : SessionReadStatus.Migrated;

        try
        {
            var reader = new SessionReader(data[HeaderSize..]);
            var value = T.Deserialize(ref reader);
            if (reader.Remaining != 0)
            {
                return Invalid<T>($"{reader.Remaining} bytes are left over after the state.");
            }

            return new SessionReadResult<T>(value, status, null);
        }
        catch (SessionFormatException e)
        {
            return Invalid<T>(e.Message);
        }
#pragma warning disable CA1031 // A state's own constructor may throw on values it rejects: that, too, is an unreadable slot.
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return Invalid<T>($"{e.GetType().Name}: {e.Message}");
        }
    }

    private static SessionReadResult<T> Invalid<T>(string error) where T : ISessionState<T> =>
        new(T.CreateDefault(), SessionReadStatus.Invalid, error);
}
