using FactCheck.Server.Grpc;
using FactCheck.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace FactCheck.IntegrationTests;

/// <summary>How the interceptor ends a server-streaming call that is cancelled. The fuzz found a JSON watch whose
/// client hung up mid-write logged as a server error: JSON transcoding logs any exception other than an RpcException
/// with its stack trace, a cancellation included.</summary>
public sealed class ErrorMappingInterceptorTests
{
    private readonly ErrorMappingInterceptor interceptor = new(NullLogger<ErrorMappingInterceptor>.Instance);

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task AStreamWhoseClientHungUpMidWriteEndsQuietly()
    {
        using var hungUp = new CancellationTokenSource();
        await hungUp.CancelAsync();

        await interceptor.ServerStreamingServerHandler<WatchAuditEventsRequest, AuditEvent>(new(), null!, new Call(hungUp.Token),
            (_, _, context) => Task.FromException(new OperationCanceledException(context.CancellationToken)));
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task ACancellationOfItsOwnWhileTheClientIsThereStillPasses() =>
        await Assert.ThrowsAsync<OperationCanceledException>(() => interceptor.ServerStreamingServerHandler<WatchAuditEventsRequest, AuditEvent>(
            new(), null!, new Call(CancellationToken.None), (_, _, _) => Task.FromException(new OperationCanceledException())));

    private sealed class Call(CancellationToken cancellationToken) : ServerCallContext
    {
        protected override string MethodCore => "/factcheck.v1.AuditService/WatchAuditEvents";
        protected override string HostCore => "localhost";
        protected override string PeerCore => "ipv4:127.0.0.1:1";
        protected override DateTime DeadlineCore => DateTime.MaxValue;
        protected override Metadata RequestHeadersCore { get; } = [];
        protected override CancellationToken CancellationTokenCore => cancellationToken;
        protected override Metadata ResponseTrailersCore { get; } = [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore => new(null, []);
        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
