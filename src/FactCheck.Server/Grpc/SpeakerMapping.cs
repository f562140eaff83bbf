using FactCheck.Core;
using FactCheck.Core.Errors;
using FactCheck.Core.Speakers;
using Google.Protobuf.WellKnownTypes;

namespace FactCheck.Server.Grpc;

/// <summary>Maps speakers between the wire (factcheck.v1) and the domain.</summary>
internal static class SpeakerMapping
{
    public static readonly IReadOnlySet<string> UpdatablePaths = new HashSet<string>(StringComparer.Ordinal)
        { "display_name", "kind", "aliases", "roles", "wikidata_id", "description" };

    public static Proto.Speaker ToProto(Speaker speaker)
    {
        var proto = new Proto.Speaker
        {
            Name = speaker.ResourceName,
            DisplayName = speaker.DisplayName,
            Kind = (Proto.SpeakerKind)speaker.Kind,
            WikidataId = speaker.WikidataId ?? "",
            Description = speaker.Description ?? "",
            CreateTime = Timestamp.FromDateTimeOffset(speaker.CreateTime),
            UpdateTime = Timestamp.FromDateTimeOffset(speaker.UpdateTime),
            Etag = Etags.For(speaker.Version),
        };
        proto.Aliases.AddRange(speaker.Aliases);
        proto.Roles.AddRange(speaker.Roles.Select(r => new Proto.Role
        {
            Title = r.Title,
            Organization = r.Organization ?? "",
            StartDate = ProtoDates.ToProto(r.Start),
            EndDate = ProtoDates.ToProto(r.End),
        }));
        return proto;
    }

    /// <summary>A new speaker's fields from the request; identity and times are assigned by the domain.</summary>
    public static Speaker FromProto(Proto.Speaker? proto, string prefix)
    {
        if (proto is null) throw new InvalidArgumentException(prefix, "required");
        return new Speaker
        {
            Id = "",
            DisplayName = proto.DisplayName,
            Kind = (SpeakerKind)proto.Kind,
            Aliases = proto.Aliases.ToList(),
            Roles = RolesFromProto(proto, prefix),
            WikidataId = proto.WikidataId,
            Description = proto.Description,
        };
    }

    /// <summary>Copies the masked fields of <paramref name="patch"/> onto <paramref name="current"/>.</summary>
    public static Speaker ApplyMask(Speaker current, Proto.Speaker patch, IReadOnlyList<string> paths)
    {
        var result = current;
        foreach (var path in paths)
        {
            result = path switch
            {
                "display_name" => result with { DisplayName = patch.DisplayName },
                "kind" => result with { Kind = (SpeakerKind)patch.Kind },
                "aliases" => result with { Aliases = patch.Aliases.ToList() },
                "roles" => result with { Roles = RolesFromProto(patch, "speaker") },
                "wikidata_id" => result with { WikidataId = patch.WikidataId },
                "description" => result with { Description = patch.Description },
                _ => throw new InvalidOperationException($"unchecked update path {path}"),
            };
        }
        return result;
    }

    private static List<Role> RolesFromProto(Proto.Speaker proto, string prefix) =>
        proto.Roles.Select((r, i) => new Role(
            r.Title,
            r.Organization,
            ProtoDates.ToDateOnly(r.StartDate, $"{prefix}.roles[{i}].start_date"),
            ProtoDates.ToDateOnly(r.EndDate, $"{prefix}.roles[{i}].end_date"))).ToList();
}
