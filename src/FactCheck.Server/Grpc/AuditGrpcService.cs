using FactCheck.Core.Audit;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Proto = FactCheck.V1;

namespace FactCheck.Server.Grpc;

/// <summary>factcheck.v1.AuditService: maps messages and calls <see cref="AuditLog"/>.</summary>
public sealed class AuditGrpcService(AuditLog audit) : Proto.AuditService.AuditServiceBase
{
    public override async Task<Proto.ListAuditEventsResponse> ListAuditEvents(Proto.ListAuditEventsRequest request, ServerCallContext context)
    {
        var filter = Filter(request.Resource, request.Principal, request.Action) with
        {
            From = ProtoDates.ToDateTimeOffset(request.StartTime, "start_time"),
            To = ProtoDates.ToDateTimeOffset(request.EndTime, "end_time"),
        };
        var (events, next) = await audit.ListAsync(filter, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new Proto.ListAuditEventsResponse { NextPageToken = next };
        response.Events.AddRange(events.Select(ToProto));
        return response;
    }

    public override async Task WatchAuditEvents(Proto.WatchAuditEventsRequest request, IServerStreamWriter<Proto.AuditEvent> responseStream, ServerCallContext context)
    {
        await foreach (var e in audit.WatchAsync(Filter(request.Resource, request.Principal, request.Action), request.AfterSequence, context.CancellationToken))
            await responseStream.WriteAsync(ToProto(e), context.CancellationToken);
    }

    public override async Task<Proto.VerifyAuditLogResponse> VerifyAuditLog(Proto.VerifyAuditLogRequest request, ServerCallContext context)
    {
        var (broken, checkedCount) = await audit.VerifyAsync(context.CancellationToken);
        return new Proto.VerifyAuditLogResponse
        {
            Ok = broken is null,
            EventsChecked = checkedCount,
            FirstBrokenEvent = broken is null ? null : ToProto(broken.Event),
            Problem = broken?.Problem ?? "",
        };
    }

    private static AuditFilter Filter(string resource, string principal, string action) => new()
    {
        ResourceName = NullIfEmpty(resource),
        Principal = NullIfEmpty(principal),
        Action = NullIfEmpty(action),
    };

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Proto.AuditEvent ToProto(AuditEvent e) => new()
    {
        Name = $"auditEvents/{e.Sequence}",
        Sequence = e.Sequence,
        Id = e.Id,
        Time = Timestamp.FromDateTimeOffset(e.Time),
        Principal = e.Principal,
        Action = e.Action,
        Resource = e.ResourceName,
        BeforeJson = e.Before ?? "",
        AfterJson = e.After ?? "",
        Reason = e.Reason ?? "",
        RequestId = e.RequestId ?? "",
        PreviousHash = ByteString.CopyFrom(e.PreviousHash),
        Hash = ByteString.CopyFrom(e.Hash),
    };
}
