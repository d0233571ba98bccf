using System.Collections.Immutable;

namespace TypedSessions.Generator.Tests.States;

public enum Color { Red = 1, Green = 2, Blue = 40 }

public enum Huge : ulong { Max = ulong.MaxValue }

public enum Tiny : sbyte { Negative = -3, Positive = 7 }

/// <summary>A state with a member of every supported type.</summary>
[SessionState("all-types")]
public partial record AllTypes
{
    public bool Bool { get; init; }
    public byte Byte { get; init; }
    public sbyte SByte { get; init; }
    public short Int16 { get; init; }
    public ushort UInt16 { get; init; }
    public int Int32 { get; init; }
    public uint UInt32 { get; init; }
    public long Int64 { get; init; }
    public ulong UInt64 { get; init; }
    public nint NInt { get; init; }
    public nuint NUInt { get; init; }
    public char Char { get; init; }
    public float Single { get; init; }
    public double Double { get; init; }
    public decimal Decimal { get; init; }
    public string String { get; init; } = "";
    public string? NullableString { get; init; }
    public Guid Guid { get; init; }
    public DateTime DateTime { get; init; }
    public DateTimeOffset DateTimeOffset { get; init; }
    public DateOnly DateOnly { get; init; }
    public TimeOnly TimeOnly { get; init; }
    public TimeSpan TimeSpan { get; init; }
    public Color Color { get; init; }
    public Huge Huge { get; init; }
    public Tiny Tiny { get; init; }
    public int? NullableInt { get; init; }
    public Color? NullableColor { get; init; }
    public DateTime? NullableDateTime { get; init; }
    public byte[] Bytes { get; init; } = [];
    public int[] Ints { get; init; } = [];
    public string[][] Jagged { get; init; } = [];
    public List<string> List { get; init; } = [];
    public IReadOnlyList<int> ReadOnlyList { get; init; } = [];
    public ImmutableArray<Guid> ImmutableArray { get; init; } = [];
    public ImmutableList<Point> ImmutableList { get; init; } = [];
    public HashSet<string> HashSet { get; init; } = [];
    public ImmutableHashSet<int> ImmutableHashSet { get; init; } = [];
    public Dictionary<string, int> Dictionary { get; init; } = [];
    public IReadOnlyDictionary<Color, string> ReadOnlyDictionary { get; init; } = new Dictionary<Color, string>();
    public ImmutableDictionary<long, Point?> ImmutableDictionary { get; init; } = ImmutableDictionary<long, Point?>.Empty;
    public Point Point { get; init; }
    public Point? NullablePoint { get; init; }
    public Level1? Nested { get; init; }
    public PlainClass? Plain { get; set; }
}

public readonly record struct Point(int X, int Y);

public record Level1(string Name, Level2 Child);

public record Level2(ImmutableList<Level3> Items);

public record Level3(decimal Amount, string? Note = null);

/// <summary>A mutable class with settable properties and a public field.</summary>
public class PlainClass
{
    public string Title { get; set; } = "";
    public int Count;
}
