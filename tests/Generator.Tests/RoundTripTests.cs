using System.Collections.Immutable;
using TypedSessions.Generator.Tests.States;
using TypedSessions.Serialization;

namespace TypedSessions.Generator.Tests;

public class RoundTripTests
{
    internal static AllTypes Sample() => new()
    {
        Bool = true,
        Byte = 255,
        SByte = -128,
        Int16 = short.MinValue,
        UInt16 = ushort.MaxValue,
        Int32 = int.MinValue,
        UInt32 = uint.MaxValue,
        Int64 = long.MinValue,
        UInt64 = ulong.MaxValue,
        NInt = -42,
        NUInt = 42,
        Char = 'é',
        Single = 3.25f,
        Double = -1.0 / 3,
        Decimal = -79228162514264337593543950335m,
        String = "héllo, wörld ✓ " + new string('x', 100),
        NullableString = null,
        Guid = Guid.Parse("d3b07384-d113-4ec6-a9c2-7a7b7e3f6c1e"),
        DateTime = new DateTime(2026, 11, 22, 10, 30, 15, DateTimeKind.Utc).AddTicks(1234),
        DateTimeOffset = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5.5)),
        DateOnly = new DateOnly(1999, 12, 31),
        TimeOnly = new TimeOnly(23, 59, 59, 999),
        TimeSpan = TimeSpan.FromDays(-3.5),
        Color = Color.Blue,
        Huge = Huge.Max,
        Tiny = Tiny.Negative,
        NullableInt = 7,
        NullableColor = null,
        NullableDateTime = DateTime.MinValue,
        Bytes = [0, 1, 2, 254, 255],
        Ints = [1, -1, int.MaxValue],
        Jagged = [["a", "b"], [], ["c"]],
        List = ["x", "", "z"],
        ReadOnlyList = [3, 2, 1],
        ImmutableArray = [Guid.Empty, Guid.Parse("00000000-0000-0000-0000-000000000001")],
        ImmutableList = [new Point(1, 2), new Point(-3, 4)],
        HashSet = ["one", "two"],
        ImmutableHashSet = [5, 6, 7],
        Dictionary = new() { ["a"] = 1, ["b"] = 2 },
        ReadOnlyDictionary = new Dictionary<Color, string> { [Color.Red] = "red", [Color.Green] = "green" },
        ImmutableDictionary = ImmutableDictionary<long, Point?>.Empty.Add(1, new Point(9, 9)).Add(2, null),
        Point = new Point(10, -10),
        NullablePoint = new Point(0, 1),
        Nested = new Level1("root", new Level2([new Level3(1.5m, "first"), new Level3(-0.0001m)])),
        Plain = new PlainClass { Title = "plain", Count = 3 },
    };

    [Fact]
    public void Every_supported_member_type_round_trips_exactly()
    {
        var original = Sample();
        var bytes = SessionStateSerializer.SerializeToArray(original);
        var result = SessionStateSerializer.Deserialize<AllTypes>(bytes);

        Assert.Equal(SessionReadStatus.Current, result.Status);
        var copy = result.Value;
        Assert.Equal(original.Bool, copy.Bool);
        Assert.Equal(original.Byte, copy.Byte);
        Assert.Equal(original.SByte, copy.SByte);
        Assert.Equal(original.Int16, copy.Int16);
        Assert.Equal(original.UInt16, copy.UInt16);
        Assert.Equal(original.Int32, copy.Int32);
        Assert.Equal(original.UInt32, copy.UInt32);
        Assert.Equal(original.Int64, copy.Int64);
        Assert.Equal(original.UInt64, copy.UInt64);
        Assert.Equal(original.NInt, copy.NInt);
        Assert.Equal(original.NUInt, copy.NUInt);
        Assert.Equal(original.Char, copy.Char);
        Assert.Equal(original.Single, copy.Single);
        Assert.Equal(original.Double, copy.Double);
        Assert.Equal(original.Decimal, copy.Decimal);
        Assert.Equal(original.String, copy.String);
        Assert.Null(copy.NullableString);
        Assert.Equal(original.Guid, copy.Guid);
        Assert.Equal(original.DateTime, copy.DateTime);
        Assert.Equal(original.DateTime.Kind, copy.DateTime.Kind);
        Assert.Equal(original.DateTimeOffset, copy.DateTimeOffset);
        Assert.Equal(original.DateTimeOffset.Offset, copy.DateTimeOffset.Offset);
        Assert.Equal(original.DateOnly, copy.DateOnly);
        Assert.Equal(original.TimeOnly, copy.TimeOnly);
        Assert.Equal(original.TimeSpan, copy.TimeSpan);
        Assert.Equal(original.Color, copy.Color);
        Assert.Equal(original.Huge, copy.Huge);
        Assert.Equal(original.Tiny, copy.Tiny);
        Assert.Equal(original.NullableInt, copy.NullableInt);
        Assert.Null(copy.NullableColor);
        Assert.Equal(original.NullableDateTime, copy.NullableDateTime);
        Assert.Equal(original.Bytes, copy.Bytes);
        Assert.Equal(original.Ints, copy.Ints);
        Assert.Equal(original.Jagged, copy.Jagged);
        Assert.Equal(original.List, copy.List);
        Assert.Equal(original.ReadOnlyList, copy.ReadOnlyList);
        Assert.Equal(original.ImmutableArray.ToArray(), copy.ImmutableArray.ToArray()); // ImmutableArray compares by reference
        Assert.Equal(original.ImmutableList, copy.ImmutableList);
        Assert.Equal(original.HashSet, copy.HashSet);
        Assert.Equal(original.ImmutableHashSet.Order(), copy.ImmutableHashSet.Order());
        Assert.Equal(original.Dictionary, copy.Dictionary);
        Assert.Equal(original.ReadOnlyDictionary, copy.ReadOnlyDictionary);
        Assert.Equal(original.ImmutableDictionary, copy.ImmutableDictionary);
        Assert.Equal(original.Point, copy.Point);
        Assert.Equal(original.NullablePoint, copy.NullablePoint);
        Assert.Equal(original.Nested!.Name, copy.Nested!.Name);
        Assert.Equal(original.Nested.Child.Items, copy.Nested.Child.Items);
        Assert.Equal(original.Plain!.Title, copy.Plain!.Title);
        Assert.Equal(original.Plain.Count, copy.Plain.Count);

        // Same value, same bytes: what change detection relies on.
        Assert.Equal(bytes, SessionStateSerializer.SerializeToArray(copy));
    }

    [Fact]
    public void The_default_instance_round_trips_with_empty_not_null_collections()
    {
        var copy = SessionStateSerializer.Deserialize<AllTypes>(SessionStateSerializer.SerializeToArray(new AllTypes())).Value;

        Assert.Equal("", copy.String);
        Assert.Empty(copy.List);
        Assert.Empty(copy.Jagged);
        Assert.Empty(copy.ImmutableList);
        Assert.False(copy.ImmutableArray.IsDefault);
        Assert.Null(copy.Nested);
    }

    [Fact]
    public void The_binary_form_is_smaller_than_json()
    {
        var state = new Chain("a fairly ordinary value", new Chain("next", null));
        var binary = SessionStateSerializer.SerializeToArray(state);
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { state.Value, Next = new { state.Next!.Value, Next = (object?)null } });

        Assert.True(binary.Length < json.Length, $"binary {binary.Length} bytes, JSON {json.Length} bytes");
    }

    [Fact]
    public void A_self_referencing_state_deeper_than_the_limit_fails_at_the_write_not_the_read()
    {
        var shallow = Enumerable.Range(0, 10).Aggregate(new Chain("end"), static (next, i) => new Chain(i.ToString(System.Globalization.CultureInfo.InvariantCulture), next));
        var copy = SessionStateSerializer.Deserialize<Chain>(SessionStateSerializer.SerializeToArray(shallow));
        Assert.Equal(SessionReadStatus.Current, copy.Status);
        Assert.Equal("end", Enumerable.Range(0, 10).Aggregate(copy.Value, static (c, _) => c.Next!).Value);

        var deep = Enumerable.Range(0, 100).Aggregate(new Chain("end"), static (next, _) => new Chain("x", next));
        var error = Assert.Throws<InvalidOperationException>(() => SessionStateSerializer.SerializeToArray(deep));
        Assert.Contains("deeper than 64", error.Message, StringComparison.Ordinal);
    }
}
