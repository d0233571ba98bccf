using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using TypedSessions.Serialization;

namespace TypedSessions.Benchmarks;

/// <summary>
/// One round trip (write, then read back) of a cart: the generated serializer against System.Text.Json
/// source-generated. Payload sizes are printed by Program before the run.
/// </summary>
[MemoryDiagnoser]
public class SerializerBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly CartState _cart = CartState.Sample;

    [Benchmark(Baseline = true)]
    public CartState SystemTextJson()
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            JsonSerializer.Serialize(writer, _cart, BenchJsonContext.Default.CartState);
        }

        return JsonSerializer.Deserialize(_buffer.WrittenSpan, BenchJsonContext.Default.CartState)!;
    }

    [Benchmark]
    public CartState TypedSessions()
    {
        _buffer.ResetWrittenCount();
        SessionStateSerializer.Serialize(_cart, _buffer);
        return SessionStateSerializer.Deserialize<CartState>(_buffer.WrittenSpan).Value;
    }

    /// <summary>The bytes each format needs for the sample cart.</summary>
    public static (int TypedSessions, int SystemTextJson) PayloadSizes() =>
        (SessionStateSerializer.SerializeToArray(CartState.Sample).Length,
         JsonSerializer.SerializeToUtf8Bytes(CartState.Sample, BenchJsonContext.Default.CartState).Length);
}
