using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace TypedSessions.Serialization;

/// <summary>
/// Writes the tagged binary form of a session state into an <see cref="IBufferWriter{T}"/>.
/// Generated serializers call it; application code does not need to.
/// </summary>
/// <remarks>
/// Lengths and counts are always written before the data they describe, so a reader can check them
/// against the bytes left before allocating anything. Call <see cref="Flush"/> when done.
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // for generated code only
public ref struct SessionWriter
{
    // Largest varint is 10 bytes; every scalar write fits in this much room.
    private const int MaxScalarSize = 1 + 10 + 10;

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;
    private int _depth;

    /// <summary>Creates a writer that appends to <paramref name="output"/>.</summary>
    public SessionWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _span = default;
        _buffered = 0;
        _depth = 0;
    }

    /// <summary>Commits everything written so far to the underlying buffer writer.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
        }

        _buffered = 0;
        _span = default;
    }

    /// <summary>Writes a null reference.</summary>
    public void WriteNull() => WriteTag(SessionWireTag.Null);

    /// <summary>Writes a <see cref="bool"/>.</summary>
    public void WriteBoolean(bool value) => WriteTag(value ? SessionWireTag.True : SessionWireTag.False);

    /// <summary>Writes a <see cref="sbyte"/>.</summary>
    public void WriteSByte(sbyte value) => WriteInt64(value);

    /// <summary>Writes a <see cref="short"/>.</summary>
    public void WriteInt16(short value) => WriteInt64(value);

    /// <summary>Writes an <see cref="int"/>.</summary>
    public void WriteInt32(int value) => WriteInt64(value);

    /// <summary>Writes a <see cref="long"/>.</summary>
    public void WriteInt64(long value)
    {
        var span = Reserve(MaxScalarSize);
        span[0] = (byte)SessionWireTag.SignedVarint;
        _buffered += 1 + WriteVarint(span[1..], ZigZag(value));
    }

    /// <summary>Writes a <see cref="byte"/>.</summary>
    public void WriteByte(byte value) => WriteUInt64(value);

    /// <summary>Writes a <see cref="ushort"/>.</summary>
    public void WriteUInt16(ushort value) => WriteUInt64(value);

    /// <summary>Writes a <see cref="uint"/>.</summary>
    public void WriteUInt32(uint value) => WriteUInt64(value);

    /// <summary>Writes a <see cref="ulong"/>.</summary>
    public void WriteUInt64(ulong value)
    {
        var span = Reserve(MaxScalarSize);
        span[0] = (byte)SessionWireTag.UnsignedVarint;
        _buffered += 1 + WriteVarint(span[1..], value);
    }

    /// <summary>Writes a <see cref="char"/> as its UTF-16 code unit.</summary>
    public void WriteChar(char value) => WriteUInt64(value);

    /// <summary>Writes a <see cref="float"/>.</summary>
    public void WriteSingle(float value)
    {
        var span = Reserve(5);
        span[0] = (byte)SessionWireTag.Float32;
        BinaryPrimitives.WriteSingleLittleEndian(span[1..], value);
        _buffered += 5;
    }

    /// <summary>Writes a <see cref="double"/>.</summary>
    public void WriteDouble(double value)
    {
        var span = Reserve(9);
        span[0] = (byte)SessionWireTag.Float64;
        BinaryPrimitives.WriteDoubleLittleEndian(span[1..], value);
        _buffered += 9;
    }

    /// <summary>Writes a <see cref="decimal"/>: sign and scale in one byte, the mantissa as varints.</summary>
    public void WriteDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var flags = bits[3];
        var scale = (byte)((flags >> 16) & 0x7F);
        var negative = flags < 0;
        var low = (ulong)(uint)bits[0] | ((ulong)(uint)bits[1] << 32);
        var high = (uint)bits[2];

        var span = Reserve(MaxScalarSize + 1);
        span[0] = (byte)SessionWireTag.Decimal;
        span[1] = (byte)(scale | (negative ? 0x80 : 0));
        var written = 2 + WriteVarint(span[2..], low);
        written += WriteVarint(span[written..], high);
        _buffered += written;
    }

    /// <summary>Writes a <see cref="string"/> as UTF-8, or null.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteNull();
            return;
        }

        // Short strings (the common case) are encoded once, straight after a one-byte length.
        if (value.Length <= 42)
        {
            var span = Reserve(2 + (value.Length * 3));
            span[0] = (byte)SessionWireTag.String;
            var length = Encoding.UTF8.GetBytes(value, span[2..]);
            span[1] = (byte)length;
            _buffered += 2 + length;
            return;
        }

        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteLengthPrefix(SessionWireTag.String, byteCount);
        var target = Reserve(byteCount);
        Encoding.UTF8.GetBytes(value, target);
        _buffered += byteCount;
    }

    /// <summary>Writes a byte array, or null.</summary>
    public void WriteBytes(byte[]? value)
    {
        if (value is null)
        {
            WriteNull();
            return;
        }

        WriteBytes(value.AsSpan());
    }

    /// <summary>Writes raw bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteLengthPrefix(SessionWireTag.Bytes, value.Length);
        value.CopyTo(Reserve(value.Length));
        _buffered += value.Length;
    }

    /// <summary>Writes a <see cref="Guid"/>.</summary>
    public void WriteGuid(Guid value)
    {
        var span = Reserve(17);
        span[0] = (byte)SessionWireTag.Guid;
        value.TryWriteBytes(span.Slice(1, 16));
        _buffered += 17;
    }

    /// <summary>Writes a <see cref="DateTime"/>: ticks and kind.</summary>
    public void WriteDateTime(DateTime value) =>
        WriteUInt64(((ulong)value.Ticks << 2) | (uint)value.Kind);

    /// <summary>Writes a <see cref="DateTimeOffset"/>: local ticks and the offset in minutes.</summary>
    public void WriteDateTimeOffset(DateTimeOffset value)
    {
        var span = Reserve(MaxScalarSize);
        span[0] = (byte)SessionWireTag.DateTimeOffset;
        var written = 1 + WriteVarint(span[1..], (ulong)value.Ticks);
        written += WriteVarint(span[written..], ZigZag((long)value.Offset.TotalMinutes));
        _buffered += written;
    }

    /// <summary>Writes a <see cref="DateOnly"/> as its day number.</summary>
    public void WriteDateOnly(DateOnly value) => WriteInt64(value.DayNumber);

    /// <summary>Writes a <see cref="TimeOnly"/> as ticks since midnight.</summary>
    public void WriteTimeOnly(TimeOnly value) => WriteUInt64((ulong)value.Ticks);

    /// <summary>Writes a <see cref="TimeSpan"/> as ticks.</summary>
    public void WriteTimeSpan(TimeSpan value) => WriteInt64(value.Ticks);

    /// <summary>Starts a sequence of <paramref name="count"/> values.</summary>
    public void WriteArrayHeader(int count) => EnterContainer(SessionWireTag.Array, count);

    /// <summary>Starts a map of <paramref name="count"/> key and value pairs.</summary>
    public void WriteMapHeader(int count) => EnterContainer(SessionWireTag.Map, count);

    /// <summary>Starts an object of <paramref name="memberCount"/> named members.</summary>
    public void WriteObjectHeader(int memberCount) => EnterContainer(SessionWireTag.Object, memberCount);

    /// <summary>Ends a sequence, map or object started by one of the header writes.</summary>
    public void EndContainer() => _depth--;

    /// <summary>Writes a member name (UTF-8, no tag); the member's value follows.</summary>
    public void WriteMemberName(ReadOnlySpan<byte> utf8Name)
    {
        var span = Reserve(10 + utf8Name.Length);
        if (utf8Name.Length < 0x80)
        {
            // A one-byte length: every name the generator writes is shorter than 128 bytes.
            span[0] = (byte)utf8Name.Length;
            utf8Name.CopyTo(span[1..]);
            _buffered += 1 + utf8Name.Length;
            return;
        }

        var written = WriteVarint(span, (ulong)utf8Name.Length);
        utf8Name.CopyTo(span[written..]);
        _buffered += written + utf8Name.Length;
    }

    /// <summary>Writes raw bytes with no tag (the format header).</summary>
    internal void WriteRaw(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _buffered += bytes.Length;
    }

    private void EnterContainer(SessionWireTag tag, int count)
    {
        // The reader refuses deeper data, so writing it would lose the slot on the next load:
        // a self-referencing state that grew too deep fails here, at the write, instead.
        if (++_depth > SessionReader.MaxDepth)
        {
            throw new InvalidOperationException(
                $"The state nests deeper than {SessionReader.MaxDepth} levels of objects and collections and cannot be stored.");
        }

        WriteLengthPrefix(tag, count);
    }

    private void WriteTag(SessionWireTag tag)
    {
        Reserve(1)[0] = (byte)tag;
        _buffered++;
    }

    private void WriteLengthPrefix(SessionWireTag tag, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var span = Reserve(11);
        span[0] = (byte)tag;
        _buffered += 1 + WriteVarint(span[1..], (ulong)length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int size)
    {
        if (_span.Length - _buffered < size)
        {
            Grow(size);
        }

        return _span[_buffered..];
    }

    private void Grow(int size)
    {
        Flush();
        _span = _output.GetSpan(Math.Max(size, 256));
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteVarint(Span<byte> span, ulong value)
    {
        if (value < 0x80)
        {
            span[0] = (byte)value;
            return 1;
        }

        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        return i;
    }
}
