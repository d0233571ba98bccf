using System.Collections.Immutable;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using TypedSessions.Generator.Tests.States;
using TypedSessions.Serialization;

namespace TypedSessions.Generator.Tests;

/// <summary>
/// The serializer under random input (FsCheck): random values of every supported type round-trip;
/// random and damaged bytes never throw, never allocate more than their size justifies, and come
/// back as the default instance with a reason.
/// </summary>
public class PropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void Random_values_of_every_supported_type_round_trip_exactly()
    {
        Prop.ForAll(AllTypesGen.ToArbitrary(), original =>
        {
            var bytes = SessionStateSerializer.SerializeToArray(original);
            var result = SessionStateSerializer.Deserialize<AllTypes>(bytes);

            Assert.Equal(SessionReadStatus.Current, result.Status);
            Assert.Equal(Scalars(original), Scalars(result.Value));
            Assert.Equal(bytes, SessionStateSerializer.SerializeToArray(result.Value)); // collections and nested records too
        }).Check(Runs);
    }

    [Fact]
    public void Random_bytes_give_the_default_instance_with_a_reason_and_never_throw()
    {
        Prop.ForAll(G<byte[]>().ToArbitrary(), bytes => AssertSafe(bytes)).Check(Runs);
    }

    [Fact]
    public void Damaged_payloads_never_throw_and_allocate_only_what_their_size_justifies()
    {
        var damaged =
            from original in AllTypesGen
            let bytes = SessionStateSerializer.SerializeToArray(original)
            from kind in Gen.Choose(0, 2)
            from at in Gen.Choose(0, bytes.Length - 1)
            from bit in Gen.Choose(0, 7)
            from inflated in Gen.Elements<byte>(0x7F, 0xFF)
            select Damage(bytes, kind, at, bit, inflated);

        Prop.ForAll(damaged.ToArbitrary(), bytes => AssertSafe(bytes)).Check(Runs);
    }

    [Fact]
    public void Strings_are_stored_as_utf8_and_an_unpaired_surrogate_becomes_the_replacement_character()
    {
        var stored = SessionStateSerializer.SerializeToArray(new AllTypes { String = "a\uD800b" });

        Assert.Equal("a\uFFFDb", SessionStateSerializer.Deserialize<AllTypes>(stored).Value.String);
    }

    // Flip one bit, cut the payload short, or overwrite a byte with a large varint continuation.
    private static byte[] Damage(byte[] bytes, int kind, int at, int bit, byte inflated)
    {
        var copy = (byte[])bytes.Clone();
        switch (kind)
        {
            case 0:
                copy[at] ^= (byte)(1 << bit);
                return copy;
            case 1:
                return copy[..at];
            default:
                copy[at] = inflated;
                return copy;
        }
    }

    private static void AssertSafe(byte[] bytes)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = SessionStateSerializer.Deserialize<AllTypes>(bytes);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // What a payload can make the reader allocate is bounded by its own size (each element takes at
        // least a byte of input), whatever its length prefixes claim.
        Assert.True(allocated <= 64_000 + (200L * bytes.Length), $"allocated {allocated} bytes for a {bytes.Length}-byte input");
        if (result.Status == SessionReadStatus.Invalid)
        {
            Assert.False(string.IsNullOrEmpty(result.Error));
            Assert.Equal(new AllTypes().Int32, result.Value.Int32);
            Assert.Empty(result.Value.List);
        }
    }

    private static object Scalars(AllTypes a) => (
        (a.Bool, a.Byte, a.SByte, a.Int16, a.UInt16, a.Int32, a.UInt32),
        (a.Int64, a.UInt64, a.NInt, a.NUInt, a.Char, a.Single, a.Double),
        (a.Decimal, a.String, a.NullableString, a.Guid, a.DateTime, a.DateTime.Kind, a.DateTimeOffset),
        (a.DateTimeOffset.Offset, a.DateOnly, a.TimeOnly, a.TimeSpan, a.Color, a.Huge, a.Tiny),
        (a.NullableInt, a.NullableColor, a.NullableDateTime, a.Point, a.NullablePoint));

    private static Gen<T> G<T>() => ArbMap.Default.GeneratorFor<T>();

    // Integers over their whole range, not only the small values FsCheck starts with.
    private static Gen<T> Wide<T>() where T : struct => G<DoNotSize<T>>().Select(static x => x.Item);

    // Well-formed text: FsCheck's strings may hold unpaired surrogates, which UTF-8 cannot carry (see above).
    private static readonly Gen<string> Text = G<string>().Select(static s => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s ?? "")));

    private static readonly Gen<string?> MaybeText = Gen.OneOf(Gen.Constant<string?>(null), Text.Select(static s => (string?)s));

    private static readonly Gen<Point> PointGen = from x in G<int>() from y in G<int>() select new Point(x, y);

    private static readonly Gen<DateTime> DateTimeGen =
        from ticks in Gen.Choose(0, int.MaxValue).Select(static t => (long)t * 1_000_003)
        from kind in Gen.Elements(DateTimeKind.Unspecified, DateTimeKind.Utc, DateTimeKind.Local)
        select new DateTime(ticks % DateTime.MaxValue.Ticks, kind);

    private static readonly Gen<AllTypes> Numbers =
        from b in G<bool>() from u8 in Wide<byte>() from i8 in Wide<sbyte>() from i16 in Wide<short>() from u16 in Wide<ushort>()
        from i32 in Wide<int>() from u32 in Wide<uint>() from i64 in Wide<long>() from u64 in Wide<ulong>()
        from c in G<char>() from f in G<float>() from d in G<double>() from m in G<decimal>()
        select new AllTypes
        {
            Bool = b, Byte = u8, SByte = i8, Int16 = i16, UInt16 = u16, Int32 = i32, UInt32 = u32, Int64 = i64, UInt64 = u64,
            NInt = (nint)i64, NUInt = (nuint)u64, Char = c, Single = f, Double = d, Decimal = m,
        };

    private static readonly Gen<AllTypes> AllTypesGen =
        from n in Numbers
        from text in Text from maybe in MaybeText from guid in G<Guid>() from dt in DateTimeGen
        from offsetMinutes in Gen.Choose(-14 * 60, 14 * 60)
        from day in Gen.Choose(0, 3_652_058) from timeTicks in Gen.Choose(0, int.MaxValue)
        from span in Wide<long>()
        from color in Gen.Elements(Color.Red, Color.Green, Color.Blue) from tiny in Gen.Elements(Tiny.Negative, Tiny.Positive)
        from nullableInt in G<int?>() from nullableDate in Gen.OneOf(Gen.Constant<DateTime?>(null), DateTimeGen.Select(static x => (DateTime?)x))
        from bytes in G<byte[]>() from ints in G<int[]>()
        from jagged in Text.ArrayOf().ArrayOf() from list in Text.ListOf()
        from guids in G<Guid[]>() from points in PointGen.ListOf()
        from set in Text.ListOf() from numbers in G<int[]>()
        from map in Gen.Zip(Text, G<int>()).ListOf()
        from pointMap in Gen.Zip(G<long>(), Gen.OneOf(Gen.Constant<Point?>(null), PointGen.Select(static p => (Point?)p))).ListOf()
        from point in PointGen from nullablePoint in Gen.OneOf(Gen.Constant<Point?>(null), PointGen.Select(static p => (Point?)p))
        from amounts in Gen.Zip(G<decimal>(), MaybeText).ListOf()
        from plainCount in G<int>()
        select n with
        {
            String = text,
            NullableString = maybe,
            Guid = guid,
            DateTime = dt,
            DateTimeOffset = new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Unspecified), TimeSpan.FromMinutes(offsetMinutes))
                is var local && local.UtcDateTime.Year is > 1 and < 9999 ? local : DateTimeOffset.UnixEpoch,
            DateOnly = DateOnly.FromDayNumber(day),
            TimeOnly = new TimeOnly(timeTicks % TimeOnly.MaxValue.Ticks),
            TimeSpan = TimeSpan.FromTicks(span),
            Color = color,
            Huge = Huge.Max,
            Tiny = tiny,
            NullableInt = nullableInt,
            NullableColor = nullableInt is null ? null : color,
            NullableDateTime = nullableDate,
            Bytes = bytes ?? [],
            Ints = ints ?? [],
            Jagged = jagged,
            List = [.. list],
            ReadOnlyList = numbers ?? [],
            ImmutableArray = [.. guids ?? []],
            ImmutableList = [.. points],
            HashSet = [.. set],
            ImmutableHashSet = [.. numbers ?? []],
            Dictionary = map.DistinctBy(static e => e.Item1).ToDictionary(static e => e.Item1, static e => e.Item2),
            ReadOnlyDictionary = new Dictionary<Color, string> { [color] = text },
            ImmutableDictionary = pointMap.DistinctBy(static e => e.Item1).ToImmutableDictionary(static e => e.Item1, static e => e.Item2),
            Point = point,
            NullablePoint = nullablePoint,
            Nested = maybe is null ? null : new Level1(maybe, new Level2([.. amounts.Select(static a => new Level3(a.Item1, a.Item2))])),
            Plain = new PlainClass { Title = text, Count = plainCount },
        };
}
