using BenchmarkDotNet.Running;
using TypedSessions.Benchmarks;

// dotnet run -c Release --project benchmarks/TypedSessions.Benchmarks -- --filter '*' [--job short]
// dotnet run -c Release --project benchmarks/TypedSessions.Benchmarks -- memory [sizes...]   (MemoryFootprint)
if (args is ["memory", .. var sizes])
{
    await MemoryFootprint.RunAsync(sizes);
    return;
}

var (typed, json) = SerializerBenchmarks.PayloadSizes();
Console.WriteLine($"Payload of the sample cart: TypedSessions {typed} bytes, System.Text.Json {json} bytes.");
BenchmarkSwitcher.FromAssembly(typeof(SerializerBenchmarks).Assembly).Run(args);
