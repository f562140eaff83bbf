using Google.Protobuf.WellKnownTypes;

namespace FactCheck.Cli;

/// <summary>A seed file (see fixtures/seed): one article, the speakers it quotes under file-local keys, and the
/// claims it attributes to them.</summary>
internal sealed record SeedFile(SeedSource Source, IReadOnlyList<SeedSpeaker> Speakers, IReadOnlyList<SeedClaim> Claims)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Strict, so a misspelt or missing field is reported instead of silently importing less.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <param name="fileName">For messages.</param>
    public static SeedFile Parse(string text, string fileName)
    {
        SeedFile seed;
        try
        {
            seed = JsonSerializer.Deserialize<SeedFile>(text, Options) ?? throw new JsonException("the file holds null");
        }
        catch (JsonException ex)
        {
            var at = ex.Path is { } path ? $" (at {path})" : "";
            throw new CliException($"cannot read {fileName}: {ex.Message}{at}");
        }
        // Keys become request ids, so a repeated key would silently merge two items.
        var duplicate = seed.Speakers.Select(s => s.Key).Concat(seed.Claims.Select(c => c.Key))
            .GroupBy(key => key).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null) throw new CliException($"{fileName}: key \"{duplicate.Key}\" is used more than once");
        var speakerKeys = seed.Speakers.Select(s => s.Key).ToHashSet();
        var dangling = seed.Claims.FirstOrDefault(c => c.Speaker is not null && !speakerKeys.Contains(c.Speaker));
        if (dangling is not null) throw new CliException($"{fileName}: claim \"{dangling.Key}\" names speaker \"{dangling.Speaker}\", which the file doesn't define");
        return seed;
    }
}

internal sealed record SeedSource(
    string Url, string Publication, string? Title = null, DateTimeOffset? PublishTime = null,
    IReadOnlyList<string>? CreditedOutlets = null);

internal sealed record SeedSpeaker(
    string Key, string DisplayName, string Kind, IReadOnlyList<string>? Aliases = null,
    IReadOnlyList<SeedRole>? Roles = null, string? WikidataId = null, string? Description = null)
{
    public Speaker ToProto() => new()
    {
        DisplayName = DisplayName,
        Kind = SeedValues.Enum<SpeakerKind>(Kind, "kind"),
        Aliases = { Aliases ?? [] },
        Roles =
        {
            (Roles ?? []).Select(role => new Role
            {
                Title = role.Title,
                Organization = role.Organization ?? "",
                StartDate = SeedValues.Date(role.StartDate),
                EndDate = SeedValues.Date(role.EndDate),
            }),
        },
        WikidataId = WikidataId ?? "",
        Description = Description ?? "",
    };
}

internal sealed record SeedRole(string Title, string? Organization = null, DateOnly? StartDate = null, DateOnly? EndDate = null);

/// <summary>A claim; <see cref="Speaker"/> is a speaker's key in the same file, and <see cref="QuotedSentence"/>
/// is the sentence as printed in the file's source article.</summary>
internal sealed record SeedClaim(
    string Key, string Text, string AttributionKind, string? Speaker = null, string? AttributedTo = null,
    DateOnly? SaidOn = null, string? Context = null, string? LanguageCode = null, double? AttributionConfidence = null,
    string? VerificationStatus = null, string? QuotedSentence = null)
{
    /// <param name="speakerNames">Resource names of the file's speakers that were imported, by key.</param>
    public Claim ToProto(SeedSource source, IReadOnlyDictionary<string, string> speakerNames)
    {
        var claim = new Claim
        {
            Speaker = Speaker is null ? "" : speakerNames.GetValueOrDefault(Speaker)
                ?? throw new SeedException($"its speaker \"{Speaker}\" failed to import"),
            AttributedTo = AttributedTo ?? "",
            Text = Text,
            AttributionKind = SeedValues.Enum<AttributionKind>(AttributionKind, "attribution_kind"),
            SaidOn = SeedValues.Date(SaidOn),
            Appearances =
            {
                new Appearance
                {
                    Url = source.Url,
                    Publication = source.Publication,
                    Title = source.Title ?? "",
                    PublishTime = source.PublishTime is { } time ? Timestamp.FromDateTimeOffset(time) : null,
                    CreditedOutlets = { source.CreditedOutlets ?? [] },
                    QuotedSentence = QuotedSentence ?? "",
                },
            },
            Context = Context ?? "",
            LanguageCode = LanguageCode ?? "",
            VerificationStatus = SeedValues.Enum<VerificationStatus>(VerificationStatus, "verification_status"),
        };
        // Left unset when absent, so the server can say it is required rather than receive a made-up 0.
        if (AttributionConfidence is { } confidence) claim.AttributionConfidence = confidence;
        return claim;
    }
}

/// <summary>An item of an import file (a seed file or a ClaimReview feed) that can't be turned into a request.</summary>
internal sealed class SeedException(string message) : Exception(message);

internal static class SeedValues
{
    /// <summary>Maps a proto enum name ("DIRECT_QUOTE"); absent means unspecified, for the server to judge.</summary>
    public static T Enum<T>(string? name, string field) where T : struct, System.Enum =>
        name is null ? default
        : ProtoEnums.TryParse<T>(name, out var value) && Convert.ToInt32(value) != 0 ? value
        : throw new SeedException($"{field} \"{name}\" is not one of {string.Join(", ", ProtoEnums.Names<T>())}");

    public static Google.Type.Date? Date(DateOnly? date) =>
        date is { } d ? new Google.Type.Date { Year = d.Year, Month = d.Month, Day = d.Day } : null;
}
