namespace TypedSessions.Serialization;

/// <summary>
/// The one-byte tag in front of every value in the serialized form. Tags make the format
/// self-describing: a reader can skip a member it does not know, and notices a member whose
/// type changed instead of misreading its bytes.
/// </summary>
internal enum SessionWireTag : byte
{
    /// <summary>A null reference or an empty <see cref="Nullable{T}"/>.</summary>
    Null = 0,
    /// <summary><see langword="false"/>.</summary>
    False = 1,
    /// <summary><see langword="true"/>.</summary>
    True = 2,
    /// <summary>A signed integer, zigzag-encoded as a variable-length integer.</summary>
    SignedVarint = 3,
    /// <summary>An unsigned integer as a variable-length integer.</summary>
    UnsignedVarint = 4,
    /// <summary>A 4-byte little-endian IEEE 754 single.</summary>
    Float32 = 5,
    /// <summary>An 8-byte little-endian IEEE 754 double.</summary>
    Float64 = 6,
    /// <summary>A decimal: one byte of sign and scale, then the 96-bit mantissa as two varints.</summary>
    Decimal = 7,
    /// <summary>UTF-8 text: a varint byte length, then the bytes.</summary>
    String = 8,
    /// <summary>Raw bytes: a varint length, then the bytes.</summary>
    Bytes = 9,
    /// <summary>A 16-byte GUID.</summary>
    Guid = 10,
    /// <summary>A sequence: a varint count, then that many tagged values.</summary>
    Array = 11,
    /// <summary>A map: a varint count, then that many tagged key and value pairs.</summary>
    Map = 12,
    /// <summary>An object: a varint member count, then that many (name, tagged value) pairs.</summary>
    Object = 13,
    /// <summary>A date and time with an offset: ticks as a varint, then the offset in minutes, zigzag.</summary>
    DateTimeOffset = 14,
}
