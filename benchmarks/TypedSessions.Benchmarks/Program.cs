using BenchmarkDotNet.Running;
using TypedSessions.Benchmarks;

// dotnet run -c Release --project benchmarks/TypedSessions.Benchmarks -- --filter '*' [--job short]
// dotnet run -c Release --project benchmarks/TypedSessions.Benchmarks -- memory [sizes...]   (MemoryFootprint)
// dotnet run -c Release --project benchmarks/TypedSessions.Benchmarks -- alloc              (AllocationProfile)
if (args is ["memory", .. var sizes])
{
    await MemoryFootprint.RunAsync(sizes);
    return;
}

if (args is ["alloc"])
{
    await AllocationProfile.RunAsync();
    return;
}

var (typed, json) = SerializerBenchmarks.PayloadSizes();
Console.WriteLine($"Payload of the sample cart: TypedSessions {typed} bytes, System.Text.Json {json} bytes.");
var (typedUser, jsonUser) = SerializerBenchmarks.UserPayloadSizes();
Console.WriteLine($"Payload of the sample user state: TypedSessions {typedUser} bytes, System.Text.Json {jsonUser} bytes.");
BenchmarkSwitcher.FromAssembly(typeof(SerializerBenchmarks).Assembly).Run(args);
