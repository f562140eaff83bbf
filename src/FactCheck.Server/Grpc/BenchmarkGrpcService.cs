using Google.Protobuf.WellKnownTypes;

namespace FactCheck.Server.Grpc;

/// <summary>The empty handler benchmarks compare every RPC with; mapped only with Benchmark:Enabled=true.</summary>
public sealed class BenchmarkGrpcService : FactCheck.Bench.V1.BenchmarkService.BenchmarkServiceBase
{
    private static readonly Task<Empty> Done = Task.FromResult(new Empty());

    public override Task<Empty> Empty(Empty request, ServerCallContext context) => Done;
}
