using FactCheck.V1;
using Google.Protobuf.WellKnownTypes;

namespace FactCheck.IntegrationTests;

/// <summary>Builders for valid requests; each test changes only what it is about.</summary>
internal static class TestData
{
    private static int counter;

    public static string Unique(string prefix) => $"{prefix} {Interlocked.Increment(ref counter)}-{Guid.NewGuid().ToString("N")[..6]}";

    public static Speaker Speaker(string? displayName = null) => new()
    {
        DisplayName = displayName ?? Unique("Speaker"),
        Kind = SpeakerKind.Person,
    };

    public static Claim Claim(string speakerName, string? text = null, Google.Type.Date? saidOn = null) => new()
    {
        Speaker = speakerName,
        Text = text ?? Unique("Resistance groups will help and Iran will provide any support needed"),
        AttributionKind = AttributionKind.DirectQuote,
        SaidOn = saidOn ?? Date(2024, 12, 2),
        LanguageCode = "en",
        AttributionConfidence = 0.9,
        Appearances =
        {
            new Appearance
            {
                Url = $"https://www.dawn.com/news/{Guid.NewGuid():N}",
                Publication = "Dawn",
                Title = "Iraqi militias to ‘reinforce’ pro-Assad forces",
                PublishTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 12, 3, 5, 25, 0, TimeSpan.Zero)),
                CreditedOutlets = { "AFP" },
            },
        },
    };

    public static Google.Type.Date Date(int year, int month, int day) => new() { Year = year, Month = month, Day = day };
}
