using FactCheck.Core;
using FactCheck.Core.Claims;
using FactCheck.Core.Errors;
using Google.Protobuf.WellKnownTypes;

namespace FactCheck.Server.Grpc;

/// <summary>Maps claims between the wire (factcheck.v1) and the domain.</summary>
internal static class ClaimMapping
{
    public static readonly IReadOnlySet<string> UpdatablePaths = new HashSet<string>(StringComparer.Ordinal)
    {
        "speaker", "attributed_to", "text", "attribution_kind", "said_on", "appearances", "context",
        "language_code", "attribution_confidence",
    };

    public static Proto.Claim ToProto(Claim claim)
    {
        var proto = new Proto.Claim
        {
            Name = claim.ResourceName,
            Speaker = claim.SpeakerId is null ? "" : ResourceNames.Speaker(claim.SpeakerId),
            AttributedTo = claim.AttributedTo ?? "",
            Text = claim.Text,
            AttributionKind = (Proto.AttributionKind)claim.Kind,
            SaidOn = ProtoDates.ToProto(claim.SaidOn),
            Context = claim.Context ?? "",
            LanguageCode = claim.LanguageCode,
            AttributionConfidence = claim.AttributionConfidence,
            VerificationStatus = (Proto.VerificationStatus)claim.Status,
            CreateTime = Timestamp.FromDateTimeOffset(claim.CreateTime),
            UpdateTime = Timestamp.FromDateTimeOffset(claim.UpdateTime),
            Etag = Etags.For(claim.Version),
        };
        var first = claim.FirstAppearanceIndex;
        proto.Appearances.AddRange(claim.Appearances.Select((a, i) => ToProto(a, isFirst: i == first)));
        return proto;
    }

    public static Proto.Appearance ToProto(Appearance appearance, bool isFirst)
    {
        var proto = new Proto.Appearance
        {
            Url = appearance.Url,
            Publication = appearance.Publication,
            Title = appearance.Title ?? "",
            PublishTime = ProtoDates.ToProto(appearance.PublishTime),
            QuotedSentence = appearance.QuotedSentence ?? "",
            FirstAppearance = isFirst,
        };
        proto.CreditedOutlets.AddRange(appearance.CreditedOutlets);
        return proto;
    }

    /// <summary>A new claim's fields from the request; identity, times and status defaults come from the domain.</summary>
    public static Claim FromProto(Proto.Claim? proto, string prefix)
    {
        if (proto is null) throw new InvalidArgumentException(prefix, "required");
        // The status is the latest review's verdict (ReviewClaim, reviewer role), never an editor's say-so.
        if (proto.VerificationStatus is not (Proto.VerificationStatus.Unspecified or Proto.VerificationStatus.Unverified))
            throw new InvalidArgumentException($"{prefix}.verification_status", "set by ReviewClaim; leave it unset");
        if (!proto.HasAttributionConfidence)
            throw new InvalidArgumentException($"{prefix}.attribution_confidence", "required: how sure the attribution is, between 0 and 1");
        return new Claim
        {
            Id = "",
            SpeakerId = SpeakerIdOrNull(proto.Speaker, $"{prefix}.speaker"),
            AttributedTo = proto.AttributedTo,
            Text = proto.Text,
            Kind = (AttributionKind)proto.AttributionKind,
            SaidOn = ProtoDates.ToDateOnly(proto.SaidOn, $"{prefix}.said_on"),
            Appearances = proto.Appearances.Select((a, i) => FromProto(a, $"{prefix}.appearances[{i}]")).ToList(),
            Context = proto.Context,
            LanguageCode = proto.LanguageCode,
            AttributionConfidence = proto.AttributionConfidence,
        };
    }

    public static Appearance FromProto(Proto.Appearance? proto, string prefix)
    {
        if (proto is null) throw new InvalidArgumentException(prefix, "required");
        return new Appearance
        {
            Url = proto.Url,
            Publication = proto.Publication,
            Title = proto.Title,
            PublishTime = ProtoDates.ToDateTimeOffset(proto.PublishTime, $"{prefix}.publish_time"),
            CreditedOutlets = proto.CreditedOutlets.ToList(),
            QuotedSentence = proto.QuotedSentence,
        };
    }

    /// <summary>Copies the masked fields of <paramref name="patch"/> onto <paramref name="current"/>.</summary>
    public static Claim ApplyMask(Claim current, Proto.Claim patch, IReadOnlyList<string> paths)
    {
        var result = current;
        foreach (var path in paths)
        {
            result = path switch
            {
                "speaker" => result with { SpeakerId = SpeakerIdOrNull(patch.Speaker, "claim.speaker") },
                "attributed_to" => result with { AttributedTo = patch.AttributedTo },
                "text" => result with { Text = patch.Text },
                "attribution_kind" => result with { Kind = (AttributionKind)patch.AttributionKind },
                "said_on" => result with { SaidOn = ProtoDates.ToDateOnly(patch.SaidOn, "claim.said_on") },
                "appearances" => result with { Appearances = patch.Appearances.Select((a, i) => FromProto(a, $"claim.appearances[{i}]")).ToList() },
                "context" => result with { Context = patch.Context },
                "language_code" => result with { LanguageCode = patch.LanguageCode },
                "attribution_confidence" => result with { AttributionConfidence = patch.AttributionConfidence },
                _ => throw new InvalidOperationException($"unchecked update path {path}"),
            };
        }
        return result;
    }

    public static string? SpeakerIdOrNull(string resourceName, string field) =>
        string.IsNullOrEmpty(resourceName) ? null : ResourceNames.ParseId(ResourceNames.SpeakersCollection, resourceName, field);
}
