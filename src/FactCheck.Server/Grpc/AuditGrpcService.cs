using FactCheck.Core.Audit;
using FactCheck.Core.Errors;

namespace FactCheck.Server.Grpc;

/// <summary>factcheck.v1.AuditService: maps messages and calls <see cref="AuditLog"/> and <see cref="AuditCheckpoints"/>.</summary>
public sealed class AuditGrpcService(AuditLog audit, AuditCheckpoints checkpoints, IHostApplicationLifetime lifetime) : Proto.AuditService.AuditServiceBase
{
    public override async Task<Proto.ListAuditEventsResponse> ListAuditEvents(Proto.ListAuditEventsRequest request, ServerCallContext context)
    {
        var filter = Filter(request.Resource, request.Principal, request.Action) with
        {
            From = ProtoDates.ToDateTimeOffset(request.StartTime, "start_time"),
            To = ProtoDates.ToDateTimeOffset(request.EndTime, "end_time"),
        };
        var page = await audit.ListAsync(filter, request.PageSize, request.PageToken, request.IncludeProofs, context.CancellationToken);
        var response = new Proto.ListAuditEventsResponse { NextPageToken = page.NextPageToken };
        response.Events.AddRange(page.Events.Select(AuditMapping.ToProto));
        if (page.Checkpoint is { } checkpoint)
        {
            response.Checkpoint = AuditMapping.ToProto(checkpoint, checkpoints.Verifier.VerifierKey);
            response.InclusionProofs.AddRange(page.Events.Select((e, i) => AuditMapping.ToProto(e.Sequence, checkpoint.Checkpoint.Size, page.InclusionProofs[i])));
        }
        return response;
    }

    /// <remarks>A watch never ends by itself, so on shutdown (SIGTERM) it ends here with UNAVAILABLE, which clients
    /// resume from with after_sequence: left open, it would hold the graceful shutdown until its timeout and then be
    /// reset with the connection.</remarks>
    public override async Task WatchAuditEvents(Proto.WatchAuditEventsRequest request, IServerStreamWriter<Proto.AuditEvent> responseStream, ServerCallContext context)
    {
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        await foreach (var e in audit.WatchAsync(Filter(request.Resource, request.Principal, request.Action), request.AfterSequence, watching.Token))
            await responseStream.WriteAsync(AuditMapping.ToProto(e), context.CancellationToken);
        if (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
            throw ShuttingDown();
    }

    private static RpcException ShuttingDown()
    {
        var status = new Google.Rpc.Status { Code = (int)Google.Rpc.Code.Unavailable, Message = "the server is shutting down; watch again with after_sequence" };
        status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(new Google.Rpc.ErrorInfo { Reason = "SERVER_SHUTTING_DOWN", Domain = ErrorMappingInterceptor.ErrorDomain }));
        return status.ToRpcException();
    }

    public override async Task<Proto.VerifyAuditLogResponse> VerifyAuditLog(Proto.VerifyAuditLogRequest request, ServerCallContext context)
    {
        var (broken, checkedCount) = await audit.VerifyAsync(context.CancellationToken);
        return new Proto.VerifyAuditLogResponse
        {
            Ok = broken is null,
            EventsChecked = checkedCount,
            FirstBrokenEvent = broken?.Event is { } e ? AuditMapping.ToProto(e) : null,
            Problem = broken?.Problem ?? "",
        };
    }

    public override async Task<Proto.Checkpoint> GetCheckpoint(Proto.GetCheckpointRequest request, ServerCallContext context)
    {
        if (request.Name != AuditMapping.CheckpointName)
            throw new InvalidArgumentException("name", $"must be {AuditMapping.CheckpointName}, the log's one (latest) checkpoint");
        return AuditMapping.ToProto(await checkpoints.GetLatestAsync(context.CancellationToken), checkpoints.Verifier.VerifierKey);
    }

    public override async Task<Proto.InclusionProof> GetInclusionProof(Proto.GetInclusionProofRequest request, ServerCallContext context)
    {
        var sequence = AuditMapping.ParseEventName(request.Name, "name");
        var (proof, treeSize, checkpoint) = await checkpoints.InclusionProofAsync(sequence, request.TreeSize, context.CancellationToken);
        var response = AuditMapping.ToProto(sequence, treeSize, proof);
        if (checkpoint is not null) response.Checkpoint = AuditMapping.ToProto(checkpoint, checkpoints.Verifier.VerifierKey);
        return response;
    }

    public override async Task<Proto.ConsistencyProof> GetConsistencyProof(Proto.GetConsistencyProofRequest request, ServerCallContext context)
    {
        var (proof, secondTreeSize, checkpoint) = await checkpoints.ConsistencyProofAsync(request.FirstTreeSize, request.SecondTreeSize, context.CancellationToken);
        var response = new Proto.ConsistencyProof { FirstTreeSize = request.FirstTreeSize, SecondTreeSize = secondTreeSize };
        response.Hashes.AddRange(AuditMapping.Bytes(proof));
        if (checkpoint is not null) response.Checkpoint = AuditMapping.ToProto(checkpoint, checkpoints.Verifier.VerifierKey);
        return response;
    }

    private static AuditFilter Filter(string resource, string principal, string action) => new()
    {
        ResourceName = NullIfEmpty(resource),
        Principal = NullIfEmpty(principal),
        Action = NullIfEmpty(action),
    };

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
