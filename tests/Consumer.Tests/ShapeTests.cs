using System.Collections.Immutable;
using TypedSessions.Serialization;

namespace TypedSessions.Consumer.Tests;

/// <summary>Each shape round-trips in a project built with the trimming and AOT analyzers.</summary>
public class ShapeTests
{
    private static T RoundTrip<T>(T value) where T : ISessionState<T>
    {
        var result = SessionStateSerializer.Deserialize<T>(SessionStateSerializer.SerializeToArray(value));
        Assert.Equal(SessionReadStatus.Current, result.Status);
        return result.Value;
    }

    [Fact]
    public void Record_structs_init_only_classes_and_structs_round_trip()
    {
        Assert.Equal(new Coordinates(59.91, 10.75), RoundTrip(new Coordinates(59.91, 10.75)));

        var draft = RoundTrip(new Draft { Title = "Notes", Subtitle = null, WordCount = 12, Status = Status.Gone });
        Assert.Equal(("Notes", null, 12, Status.Gone), (draft.Title, draft.Subtitle, draft.WordCount, draft.Status));

        var cursor = RoundTrip(new Cursor { Position = -4, Label = "here" });
        Assert.Equal((-4, "here"), (cursor.Position, cursor.Label));
    }

    [Fact]
    public void A_state_nested_in_other_types_round_trips_and_keeps_its_key()
    {
        Assert.Equal(new Areas.Checkout.Step(3, "payment"), RoundTrip(new Areas.Checkout.Step(3, "payment")));
        Assert.Equal("shape-nested", SessionKeyOf<Areas.Checkout.Step>());
    }

    [Fact]
    public void Records_nested_four_levels_deep_round_trip()
    {
        var tree = new Tree("oak")
        {
            Trunk = new Branch("main", new Twig("l", [new Leaf("green", 1.5m), new Leaf("red", 0.25m)]), null),
        };

        var copy = RoundTrip(tree);

        Assert.Equal("oak", copy.Name);
        Assert.Equal("main", copy.Trunk!.Name);
        Assert.Null(copy.Trunk.Right);
        Assert.Equal(tree.Trunk.Left!.Leaves, copy.Trunk.Left!.Leaves);
    }

    [Fact]
    public void Collections_keep_null_apart_from_empty_and_long_strings_survive()
    {
        var text = string.Concat(Enumerable.Repeat("ünïcödé ✓ ", 100_000)); // about 1.2 MB of UTF-8
        var full = new Collections
        {
            MaybeList = [],
            Array = ["a", ""],
            ReadOnly = [new Leaf("blue", 2m)],
            Set = [Status.Live, Status.Gone],
            Nested = ImmutableDictionary<string, ImmutableList<int>>.Empty.Add("x", [1, 2]).Add("empty", []),
            ByGuid = new Dictionary<Guid, Coordinates?> { [Guid.Empty] = null, [new Guid("00000000-0000-0000-0000-000000000001")] = new Coordinates(1, 2) },
            LongText = text,
        };

        var copy = RoundTrip(full);
        var unset = RoundTrip(new Collections());

        Assert.NotNull(copy.MaybeList);
        Assert.Empty(copy.MaybeList);
        Assert.Null(unset.MaybeList);
        Assert.Equal(["a", ""], copy.Array.ToArray());
        Assert.Equal(full.ReadOnly, copy.ReadOnly);
        Assert.Equal(full.Set, copy.Set);
        Assert.Equal([1, 2], copy.Nested["x"]);
        Assert.Empty(copy.Nested["empty"]);
        Assert.Equal(full.ByGuid, copy.ByGuid);
        Assert.Equal(text, copy.LongText);
    }

    [Fact]
    public void A_self_referencing_state_round_trips_within_the_depth_limit_and_fails_clearly_past_it()
    {
        Linked Chain(int length) => Enumerable.Range(0, length).Aggregate((Linked?)null, static (next, i) => new Linked(i, next))!;

        Assert.Equal(Chain(50), RoundTrip(Chain(50)));
        var error = Assert.Throws<InvalidOperationException>(() => SessionStateSerializer.SerializeToArray(Chain(10_000)));
        Assert.Contains("deeper than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_enum_is_stored_by_value_so_reordering_its_members_changes_nothing()
    {
        var bytes = SessionStateSerializer.SerializeToArray(new Draft { Status = Status.Live });

        Assert.Contains((byte)SessionWireTag.SignedVarint, bytes);
        Assert.Equal(Status.Live, SessionStateSerializer.Deserialize<Draft>(bytes).Value.Status);
    }

    private static string SessionKeyOf<T>() where T : ISessionState<T> => T.SessionKey;
}
