using FactCheck.Core;
using FactCheck.Core.Verification;

namespace FactCheck.Server.Grpc;

/// <summary>Maps a verification's outcome to VerifyAttributionResponse (domain and proto enums agree value for value).</summary>
internal static class VerificationMapping
{
    public static Proto.VerifyAttributionResponse ToProto(AttributionVerifier.Outcome outcome)
    {
        var result = outcome.Result;
        var response = new Proto.VerifyAttributionResponse
        {
            Verdict = (Proto.VerifyAttributionResponse.Types.Verdict)result.Verdict,
            Confidence = Math.Round(result.Confidence, 4),
            ResolvedSpeaker = outcome.Claimed.Speaker?.ResourceName ?? "",
            SpeakerResolutionScore = Math.Round(outcome.ResolutionScore, 4),
            Reason = (Proto.ReasonCode)result.Reason,
            EvidenceClaim = result.Evidence?.ResourceName ?? "",
            Explanation = outcome.Explanation,
            ClaimedParty = outcome.Claimed switch
            {
                { Speaker: { } speaker } => new Proto.Party { Speaker = speaker.ResourceName },
                { IsEmpty: false } claimed => new Proto.Party { AttributedTo = claimed.Text.Trim() },
                _ => null,
            },
        };
        response.Matches.AddRange(result.Matches.Select(m =>
        {
            var match = new Proto.AttributionMatch
            {
                Claim = ClaimMapping.ToProto(m.Claim),
                Similarity = Math.Round(m.Similarity, 4),
                MatchKind = (Proto.QuoteMatchKind)m.Kind,
                Contribution = Math.Round(m.Contribution, 4),
                Signal = m.Signal,
            };
            if (m.Cosine is { } cosine) match.Cosine = Math.Round(cosine, 4);
            return match;
        }));
        if (result.Verdict == Verdict.Misattributed)
            response.AttributedSpeakers.AddRange(result.Named.Select(p => p.SpeakerId).OfType<string>().Select(ResourceNames.Speaker));
        response.NamedParties.AddRange(result.Named.Select(ToProto));
        response.Originators.AddRange(result.Originators.Select(o => new Proto.Originator
        {
            Party = ToProto(o.Party),
            AttributionKind = (Proto.AttributionKind)o.Kind,
            MatchKind = (Proto.QuoteMatchKind)o.Match,
            Similarity = Math.Round(o.Similarity, 4),
            FirstClaim = o.FirstClaim.ResourceName,
            FirstAppearance = o.FirstAppearance is null ? null : ClaimMapping.ToProto(o.FirstAppearance, isFirst: true),
        }));
        return response;
    }

    private static Proto.Party ToProto(Party party) => new()
    {
        Speaker = party.SpeakerId is null ? "" : ResourceNames.Speaker(party.SpeakerId),
        AttributedTo = party.AttributedTo ?? "",
    };
}
