using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TypedSessions.Serialization;

namespace TypedSessions.Benchmarks;

/// <summary>
/// One round trip (write, then read back) of a cart, and of a small user state beside it: the generated
/// serializer against System.Text.Json source-generated. Payload sizes are printed by Program before the run.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SerializerBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly CartState _cart = CartState.Sample;
    private readonly UserState _user = UserState.Sample;

    [Benchmark(Baseline = true), BenchmarkCategory("cart")]
    public CartState SystemTextJson()
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            JsonSerializer.Serialize(writer, _cart, BenchJsonContext.Default.CartState);
        }

        return JsonSerializer.Deserialize(_buffer.WrittenSpan, BenchJsonContext.Default.CartState)!;
    }

    [Benchmark, BenchmarkCategory("cart")]
    public CartState TypedSessions()
    {
        _buffer.ResetWrittenCount();
        SessionStateSerializer.Serialize(_cart, _buffer);
        return SessionStateSerializer.Deserialize<CartState>(_buffer.WrittenSpan).Value;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("user state")]
    public UserState SystemTextJsonUser()
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            JsonSerializer.Serialize(writer, _user, BenchJsonContext.Default.UserState);
        }

        return JsonSerializer.Deserialize(_buffer.WrittenSpan, BenchJsonContext.Default.UserState)!;
    }

    [Benchmark, BenchmarkCategory("user state")]
    public UserState TypedSessionsUser()
    {
        _buffer.ResetWrittenCount();
        SessionStateSerializer.Serialize(_user, _buffer);
        return SessionStateSerializer.Deserialize<UserState>(_buffer.WrittenSpan).Value;
    }

    /// <summary>The bytes each format needs for the sample cart.</summary>
    public static (int TypedSessions, int SystemTextJson) PayloadSizes() =>
        (SessionStateSerializer.SerializeToArray(CartState.Sample).Length,
         JsonSerializer.SerializeToUtf8Bytes(CartState.Sample, BenchJsonContext.Default.CartState).Length);

    /// <summary>The bytes each format needs for the sample user state.</summary>
    public static (int TypedSessions, int SystemTextJson) UserPayloadSizes() =>
        (SessionStateSerializer.SerializeToArray(UserState.Sample).Length,
         JsonSerializer.SerializeToUtf8Bytes(UserState.Sample, BenchJsonContext.Default.UserState).Length);
}
