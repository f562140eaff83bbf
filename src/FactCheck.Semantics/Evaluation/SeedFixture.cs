using System.Text.Json;
using System.Text.Json.Serialization;
using FactCheck.Core.Claims;
using FactCheck.Core.Speakers;

namespace FactCheck.Semantics.Evaluation;

/// <summary>The speakers and claims of a seed fixture (fixtures/seed/*.json) as domain records, keyed by their seed keys.</summary>
public sealed record SeedFixture(IReadOnlyList<Speaker> Speakers, IReadOnlyList<Claim> Claims)
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static SeedFixture Load(string path)
    {
        var file = JsonSerializer.Deserialize<FixtureFile>(File.ReadAllText(path), Options)
            ?? throw new InvalidDataException($"{path}: empty fixture");
        var source = file.Source;
        var speakers = file.Speakers.Select(s => new Speaker
        {
            Id = s.Key,
            DisplayName = s.DisplayName,
            Kind = EnumValue<SpeakerKind>(s.Kind),
            Aliases = s.Aliases ?? [],
            Roles = [.. (s.Roles ?? []).Select(r => new Role(r.Title, r.Organization, r.StartDate, r.EndDate))],
            Description = s.Description,
        }).ToList();
        var claims = file.Claims.Select(c => new Claim
        {
            Id = c.Key,
            SpeakerId = c.Speaker,
            AttributedTo = c.AttributedTo,
            Text = c.Text,
            Kind = EnumValue<AttributionKind>(c.AttributionKind),
            SaidOn = c.SaidOn,
            Context = c.Context,
            LanguageCode = c.LanguageCode,
            AttributionConfidence = c.AttributionConfidence,
            Appearances = [new Appearance
            {
                Url = source.Url, Publication = source.Publication, Title = source.Title, PublishTime = source.PublishTime,
                CreditedOutlets = source.CreditedOutlets ?? [], QuotedSentence = c.QuotedSentence,
            }],
        }).ToList();
        return new SeedFixture(speakers, claims);
    }

    // "UNNAMED_SOURCE" -> AttributionKind.UnnamedSource
    private static T EnumValue<T>(string? value) where T : struct, Enum =>
        value is null ? default : Enum.Parse<T>(value.Replace("_", ""), ignoreCase: true);

    private sealed record FixtureFile(FixtureSource Source, List<FixtureSpeaker> Speakers, List<FixtureClaim> Claims);

    private sealed record FixtureSource(string Url, string Publication, string? Title, DateTimeOffset? PublishTime, List<string>? CreditedOutlets);

    private sealed record FixtureSpeaker(string Key, string DisplayName, string? Kind, List<string>? Aliases, List<FixtureRole>? Roles, string? Description);

    private sealed record FixtureRole(string Title, string? Organization, DateOnly? StartDate, DateOnly? EndDate);

    private sealed record FixtureClaim(
        string Key, string? Speaker, string? AttributedTo, string Text, string? AttributionKind, DateOnly? SaidOn, string? Context,
        string LanguageCode, double AttributionConfidence, string? QuotedSentence);
}
