using System.Text.Json;
using FactCheck.Core.Claims;

namespace FactCheck.Core.Tests.Verification;

/// <summary>The claims of fixtures/seed/dawn-2024-12-03.json, keyed by their seed keys.</summary>
internal static class SeedArticle
{
    public const string ResistanceQuote = "resistance groups will help and Iran will provide any support needed";

    public static readonly IReadOnlyDictionary<string, Claim> All = Load();

    public static Claim Get(string key) => All[key];

    private static Dictionary<string, Claim> Load()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FactCheck.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("FactCheck.sln not found above " + AppContext.BaseDirectory);

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.FullName, "fixtures", "seed", "dawn-2024-12-03.json")));
        var source = doc.RootElement.GetProperty("source");
        return doc.RootElement.GetProperty("claims").EnumerateArray().Select(c => new Claim
        {
            Id = c.GetProperty("key").GetString()!,
            SpeakerId = c.TryGetProperty("speaker", out var speaker) ? speaker.GetString() : null,
            AttributedTo = c.GetProperty("attributed_to").GetString(),
            Text = c.GetProperty("text").GetString()!,
            Kind = Enum.Parse<AttributionKind>(c.GetProperty("attribution_kind").GetString()!.Replace("_", ""), ignoreCase: true),
            SaidOn = c.TryGetProperty("said_on", out var saidOn) ? DateOnly.Parse(saidOn.GetString()!) : null,
            LanguageCode = c.GetProperty("language_code").GetString()!,
            AttributionConfidence = c.GetProperty("attribution_confidence").GetDouble(),
            Appearances =
            [
                new()
                {
                    Url = source.GetProperty("url").GetString()!,
                    Publication = source.GetProperty("publication").GetString()!,
                    PublishTime = source.GetProperty("publish_time").GetDateTimeOffset(),
                    QuotedSentence = c.GetProperty("quoted_sentence").GetString(),
                },
            ],
        }).ToDictionary(c => c.Id);
    }
}
