using TypedSessions.Serialization;
using V1 = TypedSessions.Generator.Tests.States.V1;
using V2 = TypedSessions.Generator.Tests.States.V2;
using V3 = TypedSessions.Generator.Tests.States.V3;

namespace TypedSessions.Generator.Tests;

/// <summary>Data written by one deployed version of a record, read by the next.</summary>
public class SchemaEvolutionTests
{
    private static readonly byte[] WrittenByV1 = SessionStateSerializer.SerializeToArray(new V1.Profile("Ada", 36, "London"));

    private static (SessionReadStatus, string) Read<T>() where T : ISessionState<T>
    {
        var result = SessionStateSerializer.Deserialize<T>(WrittenByV1);
        return (result.Status, result.Value!.ToString()!);
    }

    /// <summary>
    /// The evolution table (docs/generator.md): data written by V1.Profile(Name "Ada", Age 36, City
    /// "London") read by a record with one change.
    /// </summary>
    public static TheoryData<string, Func<(SessionReadStatus, string)>, SessionReadStatus, string> Changes => new()
    {
        { "no change", Read<V1.Profile>, SessionReadStatus.Current, "Profile { Name = Ada, Age = 36, City = London }" },
        { "member added", Read<States.Added.Profile>, SessionReadStatus.Migrated, "Profile { Name = Ada, Age = 36, City = London, Email = none@example.com }" },
        { "member removed", Read<States.Removed.Profile>, SessionReadStatus.Migrated, "Profile { Name = Ada, City = London }" },
        { "members reordered", Read<States.Reordered.Profile>, SessionReadStatus.Migrated, "Profile { City = London, Age = 36, Name = Ada }" },
        { "renamed, old name kept by [FormerName]", Read<States.RenamedKept.Profile>, SessionReadStatus.Migrated, "Profile { Name = Ada, Age = 36, Town = London }" },
        { "renamed without [FormerName]: the value is lost", Read<States.RenamedLost.Profile>, SessionReadStatus.Migrated, "Profile { Name = Ada, Age = 36, Town =  }" },
        { "type widened (int to long)", Read<States.Widened.Profile>, SessionReadStatus.Migrated, "Profile { Name = Ada, Age = 36, City = London }" },
        { "type narrowed (int to short), value in range", Read<States.Narrowed.Profile>, SessionReadStatus.Migrated, "Profile { Name = Ada, Age = 36, City = London }" },
        { "type changed incompatibly (string to int): the default instance", Read<V3.Profile>, SessionReadStatus.Invalid, "Profile { Name = 0 }" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Each_change_of_the_evolution_table_loads_as_documented(string change, Func<(SessionReadStatus, string)> read, SessionReadStatus status, string value)
    {
        Assert.Equal((status, value), read());
        Assert.NotEmpty(change);
    }

    [Fact]
    public void A_narrowed_member_whose_stored_value_does_not_fit_gives_the_default_instance()
    {
        var large = SessionStateSerializer.SerializeToArray(new V1.Profile("Ada", 100_000, "London"));

        var result = SessionStateSerializer.Deserialize<States.Narrowed.Profile>(large);

        Assert.Equal(SessionReadStatus.Invalid, result.Status);
        Assert.Equal(new States.Narrowed.Profile(), result.Value);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public void A_member_renamed_twice_reads_data_stored_under_either_earlier_name()
    {
        var underCity = SessionStateSerializer.Deserialize<States.RenamedProperty.Profile>(WrittenByV1).Value;
        var underTown = SessionStateSerializer.Deserialize<States.RenamedProperty.Profile>(
            SessionStateSerializer.SerializeToArray(new States.RenamedKept.Profile("Grace", 1, "Paris"))).Value;

        Assert.Equal(("Ada", "London"), (underCity.Name, underCity.Place));
        Assert.Equal(("Grace", "Paris"), (underTown.Name, underTown.Place));
    }

    [Fact]
    public void A_newer_record_reads_older_data_keeping_matching_members_by_name()
    {
        var old = SessionStateSerializer.SerializeToArray(new V1.Profile("Ada", 36, "London"));

        var result = SessionStateSerializer.Deserialize<V2.Profile>(old);

        Assert.Equal(SessionReadStatus.Migrated, result.Status);
        Assert.Equal("Ada", result.Value.Name);             // kept, though it moved
        Assert.Equal("London", result.Value.City);          // reordered
        Assert.Equal("none@example.com", result.Value.Email); // added: the default instance's value
    }

    [Fact]
    public void An_older_record_reads_newer_data_skipping_unknown_members()
    {
        var newer = SessionStateSerializer.SerializeToArray(new V2.Profile("Paris", "Grace", "grace@example.com"));

        var result = SessionStateSerializer.Deserialize<V1.Profile>(newer);

        Assert.Equal(SessionReadStatus.Migrated, result.Status);
        Assert.Equal(new V1.Profile("Grace", 0, "Paris"), result.Value);
    }

    [Fact]
    public void A_member_whose_type_changed_incompatibly_gives_the_default_instance()
    {
        var old = SessionStateSerializer.SerializeToArray(new V1.Profile("Ada", 36, "London"));

        var result = SessionStateSerializer.Deserialize<V3.Profile>(old);

        Assert.Equal(SessionReadStatus.Invalid, result.Status);
        Assert.Equal(new V3.Profile(), result.Value);
        Assert.Contains("type changed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_schema_reads_as_current()
    {
        var bytes = SessionStateSerializer.SerializeToArray(new V2.Profile("Oslo", "Ole"));

        Assert.Equal(SessionReadStatus.Current, SessionStateSerializer.Deserialize<V2.Profile>(bytes).Status);
    }
}
