using FactCheck.Caching;
using FactCheck.Core;
using FactCheck.Core.Audit;
using FactCheck.Core.Speakers;
using FactCheck.Server.Access;

namespace FactCheck.Server.Grpc;

/// <summary>factcheck.v1.SpeakerService: maps messages and calls <see cref="SpeakerDirectory"/>.</summary>
public sealed class SpeakerGrpcService(SpeakerDirectory speakers, RecordHistory history, CachedReads cache) : Proto.SpeakerService.SpeakerServiceBase
{
    public override async Task<Proto.Speaker> CreateSpeaker(Proto.CreateSpeakerRequest request, ServerCallContext context)
    {
        var idempotency = RequestIds.KeyFor(request, request.RequestId, r => r.RequestId = "");
        var created = await speakers.CreateAsync(SpeakerMapping.FromProto(request.Speaker, "speaker"), idempotency,
            Callers.ActorOf(context, request.Reason, request.RequestId), context.CancellationToken);
        return SpeakerMapping.ToProto(created);
    }

    /// <remarks>A read at a time goes to the log, never through the cache, which holds current answers only.</remarks>
    public override async Task<Proto.Speaker> GetSpeaker(Proto.GetSpeakerRequest request, ServerCallContext context)
    {
        var id = SpeakerId(request.Name, "name");
        if (ProtoDates.ToDateTimeOffset(request.ReadTime, "read_time") is { } readTime)
            return SpeakerMapping.ToProto(await history.SpeakerAsOfAsync(id, readTime, context.CancellationToken));
        return await cache.SpeakerAsync(id, async ct => SpeakerMapping.ToProto(await speakers.GetAsync(id, ct)), context.CancellationToken);
    }

    public override async Task<Proto.ListSpeakersResponse> ListSpeakers(Proto.ListSpeakersRequest request, ServerCallContext context)
    {
        var (page, next) = await speakers.ListAsync(request.PageSize, request.PageToken, context.CancellationToken);
        var response = new Proto.ListSpeakersResponse { NextPageToken = next };
        response.Speakers.AddRange(page.Select(SpeakerMapping.ToProto));
        return response;
    }

    public override async Task<Proto.Speaker> UpdateSpeaker(Proto.UpdateSpeakerRequest request, ServerCallContext context)
    {
        var patch = request.Speaker ?? throw new Core.Errors.InvalidArgumentException("speaker", "required");
        var id = SpeakerId(patch.Name, "speaker.name");
        var paths = UpdateMasks.Resolve(request.UpdateMask, SpeakerMapping.UpdatablePaths);
        var updated = await speakers.UpdateAsync(id, patch.Etag, current => SpeakerMapping.ApplyMask(current, patch, paths),
            Callers.ActorOf(context, request.Reason), context.CancellationToken);
        return SpeakerMapping.ToProto(updated);
    }

    public override Task<Proto.ResolveSpeakerResponse> ResolveSpeaker(Proto.ResolveSpeakerRequest request, ServerCallContext context)
    {
        var asOf = ProtoDates.ToDateOnly(request.AsOf, "as_of");
        return cache.ResolutionAsync(request, async ct =>
        {
            var candidates = await speakers.ResolveAsync(request.Query, request.MaxCandidates, asOf, ct);
            var response = new Proto.ResolveSpeakerResponse();
            response.Candidates.AddRange(candidates.Select(c => new Proto.SpeakerCandidate
            {
                Speaker = SpeakerMapping.ToProto(c.Speaker),
                Score = Math.Round(c.Match.Score, 4),
                Matched = c.Match.Matched,
                MatchKind = (Proto.MatchKind)c.Match.Kind,
            }));
            return response;
        }, context.CancellationToken);
    }

    private static string SpeakerId(string name, string field) => ResourceNames.ParseId(ResourceNames.SpeakersCollection, name, field);
}
