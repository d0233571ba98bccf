using TypedSessions.Serialization;
using V1 = TypedSessions.Generator.Tests.States.V1;
using V2 = TypedSessions.Generator.Tests.States.V2;
using V3 = TypedSessions.Generator.Tests.States.V3;

namespace TypedSessions.Generator.Tests;

/// <summary>Data written by one deployed version of a record, read by the next.</summary>
public class SchemaEvolutionTests
{
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
