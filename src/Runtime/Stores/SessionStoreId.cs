using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace TypedSessions.Stores;

/// <summary>
/// The name a store keeps a session under: the SHA-256 of the session ID. Stores never see the ID
/// itself, so a leaked store (a backup, a Redis dump) holds nothing a client can present.
/// </summary>
public readonly struct SessionStoreId : IEquatable<SessionStoreId>
{
    /// <summary>The size of a session ID in bytes (256 bits from <see cref="RandomNumberGenerator"/>).</summary>
    public const int SessionIdSize = 32;

    // Four words rather than a byte[]: the memory store keys a dictionary by this value, and a struct
    // of 32 bytes costs no allocation and no indirection per session.
    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    private SessionStoreId(ReadOnlySpan<byte> hash)
    {
        _a = BinaryPrimitives.ReadUInt64LittleEndian(hash);
        _b = BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]);
        _c = BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]);
        _d = BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]);
    }

    /// <summary>The store name of the session whose ID is <paramref name="sessionId"/>.</summary>
    public static SessionStoreId FromSessionId(ReadOnlySpan<byte> sessionId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(sessionId, hash);
        return new SessionStoreId(hash);
    }

    /// <summary>The store ID whose 32-byte hash is <paramref name="hash"/>, as written by <see cref="WriteTo"/>.</summary>
    public static SessionStoreId FromHash(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32)
        {
            throw new ArgumentException("A store ID is a 32-byte hash.", nameof(hash));
        }

        return new SessionStoreId(hash);
    }

    /// <summary>The hash as 43 characters of URL-safe base64: a key for string-keyed stores.</summary>
    public override string ToString()
    {
        Span<byte> hash = stackalloc byte[32];
        WriteTo(hash);
        return Base64Url.EncodeToString(hash);
    }

    /// <summary>A short, non-reversible tag for logs: the first 8 characters of <see cref="ToString"/>.</summary>
    public string ToLogTag()
    {
        Span<byte> hash = stackalloc byte[32];
        WriteTo(hash);
        return Base64Url.EncodeToString(hash[..6]); // 6 bytes are exactly the first 8 characters
    }

    /// <summary>Writes the 32-byte hash to <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, _a);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], _d);
    }

    /// <inheritdoc />
    public bool Equals(SessionStoreId other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SessionStoreId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)_a ^ (int)(_a >> 32);

    /// <summary>Compares two store IDs.</summary>
    public static bool operator ==(SessionStoreId left, SessionStoreId right) => left.Equals(right);

    /// <summary>Compares two store IDs.</summary>
    public static bool operator !=(SessionStoreId left, SessionStoreId right) => !left.Equals(right);
}
