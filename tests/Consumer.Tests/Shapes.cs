using System.Collections.Immutable;

namespace TypedSessions.Consumer.Tests;

// Every shape of state a user may declare, compiled in a consumer with the AOT analyzers on.

/// <summary>A positional record struct.</summary>
[SessionState("shape-record-struct")]
public partial record struct Coordinates(double Latitude = 0, double Longitude = 0);

/// <summary>A class with init-only properties and nullable members of both kinds.</summary>
[SessionState("shape-init-class")]
public partial class Draft
{
    public string Title { get; init; } = "";

    public string? Subtitle { get; init; }

    public int? WordCount { get; init; }

    public Status Status { get; init; } = Status.Draft;
}

/// <summary>A struct with init-only properties.</summary>
[SessionState("shape-init-struct")]
public partial struct Cursor
{
    public int Position { get; init; }

    public string? Label { get; init; }
}

/// <summary>Explicit, sparse and negative values: stored by value, not by position.</summary>
public enum Status { Gone = -1, Draft = 10, Live = 20 }

/// <summary>States nested inside other types.</summary>
public static partial class Areas
{
    public partial class Checkout
    {
        [SessionState("shape-nested")]
        public partial record Step(int Number = 1, string Name = "address");
    }
}

/// <summary>Positional and nominal members together, and records nested four levels deep.</summary>
[SessionState("shape-deep")]
public partial record Tree(string Name = "")
{
    public Branch? Trunk { get; init; }
}

public record Branch(string Name, Twig? Left, Twig? Right);

public record Twig(string Name, ImmutableList<Leaf> Leaves);

public record Leaf(string Color, decimal Size);

/// <summary>Nullable collections keep null apart from empty; non-nullable ones are never null.</summary>
[SessionState("shape-collections")]
public partial record Collections
{
    public ImmutableList<int>? MaybeList { get; init; }

    public ImmutableArray<string> Array { get; init; } = [];

    public IReadOnlyList<Leaf> ReadOnly { get; init; } = [];

    public ImmutableHashSet<Status> Set { get; init; } = [];

    public ImmutableDictionary<string, ImmutableList<int>> Nested { get; init; } = ImmutableDictionary<string, ImmutableList<int>>.Empty;

    public IReadOnlyDictionary<Guid, Coordinates?> ByGuid { get; init; } = ImmutableDictionary<Guid, Coordinates?>.Empty;

    public string LongText { get; init; } = "";
}

/// <summary>A type that refers to itself: bounded by the format's depth, with a clear error past it.</summary>
[SessionState("shape-linked")]
public partial record Linked(int Value = 0, Linked? Next = null);

/// <summary>A renamed member that keeps its data.</summary>
[SessionState("shape-renamed")]
public partial record Renamed([FormerName("Nick")] string DisplayName = "");
