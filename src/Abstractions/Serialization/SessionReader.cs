using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace TypedSessions.Serialization;

/// <summary>
/// Reads the tagged binary form written by <see cref="SessionWriter"/>. Generated deserializers call it.
/// </summary>
/// <remarks>
/// Every length and count is checked against the bytes left before anything is allocated, nesting
/// is bounded by <see cref="MaxDepth"/>, and any inconsistency throws <see cref="SessionFormatException"/>,
/// which the runtime turns into "the default instance and a logged warning".
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // for generated code only
public ref struct SessionReader
{
    /// <summary>The deepest nesting of objects and collections a payload may have.</summary>
    public const int MaxDepth = 64;

    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private int _depth;

    /// <summary>Creates a reader over <paramref name="data"/>.</summary>
    public SessionReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
        _depth = 0;
    }

    /// <summary>How many bytes are left to read.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Consumes a null if one comes next.</summary>
    /// <returns><see langword="true"/> when the next value was null.</returns>
    public bool TryReadNull()
    {
        if (_position < _data.Length && _data[_position] == (byte)SessionWireTag.Null)
        {
            _position++;
            return true;
        }

        return false;
    }

    /// <summary>Reads a <see cref="bool"/>.</summary>
    public bool ReadBoolean()
    {
        var tag = ReadTag();
        return tag switch
        {
            SessionWireTag.True => true,
            SessionWireTag.False => false,
            _ => throw Mismatch("a boolean", tag),
        };
    }

    /// <summary>Reads a <see cref="sbyte"/>.</summary>
    public sbyte ReadSByte() => (sbyte)ReadSigned(sbyte.MinValue, sbyte.MaxValue);

    /// <summary>Reads a <see cref="short"/>.</summary>
    public short ReadInt16() => (short)ReadSigned(short.MinValue, short.MaxValue);

    /// <summary>Reads an <see cref="int"/>.</summary>
    public int ReadInt32() => (int)ReadSigned(int.MinValue, int.MaxValue);

    /// <summary>Reads a <see cref="long"/>.</summary>
    public long ReadInt64() => ReadSigned(long.MinValue, long.MaxValue);

    /// <summary>Reads a <see cref="byte"/>.</summary>
    public byte ReadByte() => (byte)ReadUnsigned(byte.MaxValue);

    /// <summary>Reads a <see cref="ushort"/>.</summary>
    public ushort ReadUInt16() => (ushort)ReadUnsigned(ushort.MaxValue);

    /// <summary>Reads a <see cref="uint"/>.</summary>
    public uint ReadUInt32() => (uint)ReadUnsigned(uint.MaxValue);

    /// <summary>Reads a <see cref="ulong"/>.</summary>
    public ulong ReadUInt64() => ReadUnsigned(ulong.MaxValue);

    /// <summary>Reads a <see cref="char"/>.</summary>
    public char ReadChar() => (char)ReadUnsigned(char.MaxValue);

    /// <summary>Reads a <see cref="float"/>.</summary>
    public float ReadSingle()
    {
        var tag = ReadTag();
        if (tag != SessionWireTag.Float32)
        {
            throw Mismatch("a single", tag);
        }

        return BinaryPrimitives.ReadSingleLittleEndian(Take(4));
    }

    /// <summary>Reads a <see cref="double"/>; a stored single is widened.</summary>
    public double ReadDouble()
    {
        var tag = ReadTag();
        return tag switch
        {
            SessionWireTag.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(Take(8)),
            SessionWireTag.Float32 => BinaryPrimitives.ReadSingleLittleEndian(Take(4)),
            _ => throw Mismatch("a double", tag),
        };
    }

    /// <summary>Reads a <see cref="decimal"/>.</summary>
    public decimal ReadDecimal()
    {
        var tag = ReadTag();
        if (tag != SessionWireTag.Decimal)
        {
            throw Mismatch("a decimal", tag);
        }

        var flags = Take(1)[0];
        var scale = (byte)(flags & 0x7F);
        if (scale > 28)
        {
            throw new SessionFormatException($"A decimal has scale {scale}; at most 28 is valid.");
        }

        var low = ReadVarint();
        var high = ReadVarint();
        if (high > uint.MaxValue)
        {
            throw new SessionFormatException("A decimal's mantissa exceeds 96 bits.");
        }

        return new decimal((int)(uint)low, (int)(uint)(low >> 32), (int)(uint)high, (flags & 0x80) != 0, scale);
    }

    /// <summary>Reads a <see cref="string"/> (a stored null is returned as null).</summary>
    public string? ReadString()
    {
        var tag = ReadTag();
        if (tag == SessionWireTag.Null)
        {
            return null;
        }

        if (tag != SessionWireTag.String)
        {
            throw Mismatch("a string", tag);
        }

        var bytes = Take(ReadLength());
        return bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Reads a byte array (a stored null is returned as null).</summary>
    public byte[]? ReadBytes()
    {
        var tag = ReadTag();
        if (tag == SessionWireTag.Null)
        {
            return null;
        }

        if (tag != SessionWireTag.Bytes)
        {
            throw Mismatch("bytes", tag);
        }

        var bytes = Take(ReadLength());
        return bytes.IsEmpty ? [] : bytes.ToArray();
    }

    /// <summary>Reads a <see cref="Guid"/>.</summary>
    public Guid ReadGuid()
    {
        var tag = ReadTag();
        if (tag != SessionWireTag.Guid)
        {
            throw Mismatch("a GUID", tag);
        }

        return new Guid(Take(16));
    }

    /// <summary>Reads a <see cref="DateTime"/>.</summary>
    public DateTime ReadDateTime()
    {
        var packed = ReadUnsigned(ulong.MaxValue);
        var ticks = (long)(packed >> 2);
        var kind = (DateTimeKind)(packed & 3);
        if (ticks > DateTime.MaxValue.Ticks || kind > DateTimeKind.Local)
        {
            throw new SessionFormatException("A DateTime is out of range.");
        }

        return new DateTime(ticks, kind);
    }

    /// <summary>Reads a <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset ReadDateTimeOffset()
    {
        var tag = ReadTag();
        if (tag != SessionWireTag.DateTimeOffset)
        {
            throw Mismatch("a DateTimeOffset", tag);
        }

        var ticks = ReadVarint();
        var offsetMinutes = UnZigZag(ReadVarint());
        if (ticks > (ulong)DateTime.MaxValue.Ticks || offsetMinutes is < -14 * 60 or > 14 * 60)
        {
            throw new SessionFormatException("A DateTimeOffset is out of range.");
        }

        try
        {
            return new DateTimeOffset((long)ticks, TimeSpan.FromMinutes(offsetMinutes));
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new SessionFormatException("A DateTimeOffset is out of range.", e);
        }
    }

    /// <summary>Reads a <see cref="DateOnly"/>.</summary>
    public DateOnly ReadDateOnly()
    {
        var day = ReadSigned(0, DateOnly.MaxValue.DayNumber);
        return DateOnly.FromDayNumber((int)day);
    }

    /// <summary>Reads a <see cref="TimeOnly"/>.</summary>
    public TimeOnly ReadTimeOnly() => new((long)ReadUnsigned((ulong)TimeOnly.MaxValue.Ticks));

    /// <summary>Reads a <see cref="TimeSpan"/>.</summary>
    public TimeSpan ReadTimeSpan() => new(ReadInt64());

    /// <summary>
    /// Starts reading a sequence and returns its count, checked against the bytes left
    /// (each element takes at least one byte). Call <see cref="EndContainer"/> after the elements.
    /// </summary>
    public int ReadArrayHeader() => ReadContainerHeader(SessionWireTag.Array, "a sequence", bytesPerItem: 1);

    /// <summary>Starts reading a map and returns its pair count, checked against the bytes left.</summary>
    public int ReadMapHeader() => ReadContainerHeader(SessionWireTag.Map, "a map", bytesPerItem: 2);

    /// <summary>Starts reading an object and returns its member count, checked against the bytes left.</summary>
    public int ReadObjectHeader() => ReadContainerHeader(SessionWireTag.Object, "an object", bytesPerItem: 2);

    /// <summary>Ends a sequence, map or object started by one of the header reads.</summary>
    public void EndContainer() => _depth--;

    /// <summary>Reads a member name; compare it with the expected names' UTF-8 bytes.</summary>
    public ReadOnlySpan<byte> ReadMemberName() => Take(ReadLength());

    /// <summary>Skips the next value, whatever it is (an unknown member of an older or newer schema).</summary>
    public void Skip()
    {
        var tag = ReadTag();
        switch (tag)
        {
            case SessionWireTag.Null or SessionWireTag.False or SessionWireTag.True:
                return;
            case SessionWireTag.SignedVarint or SessionWireTag.UnsignedVarint:
                ReadVarint();
                return;
            case SessionWireTag.Float32:
                Take(4);
                return;
            case SessionWireTag.Float64:
                Take(8);
                return;
            case SessionWireTag.Decimal:
                Take(1);
                ReadVarint();
                ReadVarint();
                return;
            case SessionWireTag.String or SessionWireTag.Bytes:
                Take(ReadLength());
                return;
            case SessionWireTag.Guid:
                Take(16);
                return;
            case SessionWireTag.DateTimeOffset:
                ReadVarint();
                ReadVarint();
                return;
            case SessionWireTag.Array:
                SkipItems(EnterContainer(SessionWireTag.Array, 1), valuesPerItem: 1, withNames: false);
                return;
            case SessionWireTag.Map:
                SkipItems(EnterContainer(SessionWireTag.Map, 2), valuesPerItem: 2, withNames: false);
                return;
            case SessionWireTag.Object:
                SkipItems(EnterContainer(SessionWireTag.Object, 2), valuesPerItem: 1, withNames: true);
                return;
            default:
                throw new SessionFormatException($"Unknown value tag {(byte)tag} at byte {_position - 1}.");
        }
    }

    /// <summary>Reads bytes with no tag (the format header).</summary>
    internal ReadOnlySpan<byte> ReadRaw(int length) => Take(length);

    private void SkipItems(int count, int valuesPerItem, bool withNames)
    {
        for (var i = 0; i < count; i++)
        {
            if (withNames)
            {
                ReadMemberName();
            }

            for (var v = 0; v < valuesPerItem; v++)
            {
                Skip();
            }
        }

        EndContainer();
    }

    private int ReadContainerHeader(SessionWireTag expected, string what, int bytesPerItem)
    {
        var tag = ReadTag();
        if (tag != expected)
        {
            throw Mismatch(what, tag);
        }

        return EnterContainer(expected, bytesPerItem);
    }

    private int EnterContainer(SessionWireTag tag, int bytesPerItem)
    {
        if (++_depth > MaxDepth)
        {
            throw new SessionFormatException($"Nesting is deeper than {MaxDepth} levels.");
        }

        var count = ReadVarint();
        if (count > (ulong)(Remaining / bytesPerItem))
        {
            throw new SessionFormatException(
                $"A {tag} claims {count} items but only {Remaining} bytes are left.");
        }

        return (int)count;
    }

    private long ReadSigned(long min, long max)
    {
        var tag = ReadTag();
        long value;
        if (tag == SessionWireTag.SignedVarint)
        {
            value = UnZigZag(ReadVarint());
        }
        else if (tag == SessionWireTag.UnsignedVarint)
        {
            // A member changed from unsigned to signed: accepted when the value fits.
            var unsigned = ReadVarint();
            if (unsigned > long.MaxValue)
            {
                throw OutOfRange(unsigned.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            value = (long)unsigned;
        }
        else
        {
            throw Mismatch("an integer", tag);
        }

        if (value < min || value > max)
        {
            throw OutOfRange(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return value;
    }

    private ulong ReadUnsigned(ulong max)
    {
        var tag = ReadTag();
        ulong value;
        if (tag == SessionWireTag.UnsignedVarint)
        {
            value = ReadVarint();
        }
        else if (tag == SessionWireTag.SignedVarint)
        {
            // A member changed from signed to unsigned: accepted when the value is not negative.
            var signed = UnZigZag(ReadVarint());
            if (signed < 0)
            {
                throw OutOfRange(signed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            value = (ulong)signed;
        }
        else
        {
            throw Mismatch("an unsigned integer", tag);
        }

        if (value > max)
        {
            throw OutOfRange(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ReadLength()
    {
        var length = ReadVarint();
        if (length > (ulong)Remaining)
        {
            throw new SessionFormatException($"A length of {length} exceeds the {Remaining} bytes left.");
        }

        return (int)length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private SessionWireTag ReadTag()
    {
        if (_position >= _data.Length)
        {
            ThrowTruncated();
        }

        return (SessionWireTag)_data[_position++];
    }

    // Most varints (lengths, counts, small numbers) are one byte: read inline; longer ones in ReadLongVarint.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong ReadVarint()
    {
        if ((uint)_position < (uint)_data.Length && _data[_position] < 0x80)
        {
            return _data[_position++];
        }

        return ReadLongVarint();
    }

    private ulong ReadLongVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _data.Length)
            {
                ThrowTruncated();
            }

            var b = _data[_position++];
            if (shift == 63 && b > 1)
            {
                break;
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new SessionFormatException("A variable-length integer is longer than 64 bits.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int length)
    {
        if (length > _data.Length - _position)
        {
            ThrowTruncated();
        }

        var slice = _data.Slice(_position, length);
        _position += length;
        return slice;
    }

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private readonly SessionFormatException Mismatch(string expected, SessionWireTag found) =>
        new($"Expected {expected} at byte {_position - 1} but found {(Enum.IsDefined(found) ? found.ToString() : ((byte)found).ToString(System.Globalization.CultureInfo.InvariantCulture))}: the member's type changed or the bytes are corrupt.");

    private static SessionFormatException OutOfRange(string value) =>
        new($"The value {value} does not fit the member's type.");

    [DoesNotReturn]
    private static void ThrowTruncated() => throw new SessionFormatException("The data ends too early (truncated).");
}
