using System.Collections.Immutable;
using TypedSessions.Generator.Tests.States;
using TypedSessions.Serialization;

namespace TypedSessions.Generator.Tests;

/// <summary>Bad bytes give the default instance and a reason: never an exception, never a huge allocation.</summary>
public class CorruptInputTests
{
    private static readonly byte[] Valid = SessionStateSerializer.SerializeToArray(RoundTripTests.Sample());

    [Fact]
    public void Every_truncation_gives_the_default_instance()
    {
        for (var length = 0; length < Valid.Length; length++)
        {
            var result = SessionStateSerializer.Deserialize<AllTypes>(Valid.AsSpan(0, length));
            Assert.Equal(SessionReadStatus.Invalid, result.Status);
            Assert.Equal(0, result.Value.Int32);
        }
    }

    [Fact]
    public void Random_bit_flips_never_throw()
    {
        var random = new Random(1234);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = (byte[])Valid.Clone();
            var flips = random.Next(1, 4);
            for (var f = 0; f < flips; f++)
            {
                var at = random.Next(bytes.Length);
                bytes[at] ^= (byte)(1 << random.Next(8));
            }

            var result = SessionStateSerializer.Deserialize<AllTypes>(bytes);
            Assert.NotNull(result.Value);
            Assert.True(result.Status != SessionReadStatus.Invalid || result.Error is not null);
        }
    }

    [Fact]
    public void A_null_where_a_type_without_a_default_instance_is_expected_is_refused_not_read_as_null()
    {
        // A writer writes null for a null reference; a reader must not hand that null to code that
        // cannot expect one (a list of lines that are never null, say).
        var forged = SessionStateSerializer.SerializeToArray(new WithLines(ImmutableList<Line>.Empty.Add(null!)));

        var result = SessionStateSerializer.Deserialize<WithLines>(forged);

        Assert.Equal(SessionReadStatus.Invalid, result.Status);
        Assert.Contains("null", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Value.Lines);
    }

    [Fact]
    public void Bytes_of_another_state_give_the_default_instance()
    {
        var other = SessionStateSerializer.SerializeToArray(new Other("someone"));

        var result = SessionStateSerializer.Deserialize<Chain>(other);

        Assert.Equal(SessionReadStatus.Invalid, result.Status);
        Assert.Contains("another state", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inflated_length_prefix_allocates_nothing_large()
    {
        // A valid header for "chain", then an object claiming 2^31 members, and a string claiming 2 GB.
        var header = SessionStateSerializer.SerializeToArray(new Chain()).AsSpan(0, SessionStateSerializer.HeaderSize).ToArray();
        byte[][] attacks =
        [
            [.. header, (byte)SessionWireTag.Object, 0xFF, 0xFF, 0xFF, 0xFF, 0x07],
            [.. header, (byte)SessionWireTag.Object, 0x01, 0x05, (byte)'V', (byte)'a', (byte)'l', (byte)'u', (byte)'e', (byte)SessionWireTag.String, 0xFF, 0xFF, 0xFF, 0xFF, 0x07],
            [.. header, (byte)SessionWireTag.Object, 0x01, 0x04, (byte)'N', (byte)'e', (byte)'x', (byte)'t', (byte)SessionWireTag.Array, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
        ];

        foreach (var attack in attacks)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var result = SessionStateSerializer.Deserialize<Chain>(attack);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(SessionReadStatus.Invalid, result.Status);
            Assert.True(allocated < 16 * 1024, $"allocated {allocated} bytes for a {attack.Length}-byte input");
        }
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_without_recursing_further()
    {
        // Arrays nested 10,000 deep: each level is one tag and a count of one.
        var header = SessionStateSerializer.SerializeToArray(new Chain()).AsSpan(0, SessionStateSerializer.HeaderSize).ToArray();
        var body = Enumerable.Repeat(new[] { (byte)SessionWireTag.Array, (byte)1 }, 10_000).SelectMany(static b => b);
        byte[] bytes = [.. header, (byte)SessionWireTag.Object, 1, 4, (byte)'N', (byte)'e', (byte)'x', (byte)'t', .. body];

        var result = SessionStateSerializer.Deserialize<Chain>(bytes);

        Assert.Equal(SessionReadStatus.Invalid, result.Status);
    }
}
