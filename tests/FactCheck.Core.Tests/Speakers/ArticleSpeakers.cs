using FactCheck.Core.Speakers;

namespace FactCheck.Core.Tests.Speakers;

/// <summary>Speakers from Dawn/AFP, 3 December 2024: "Iraqi militias to 'reinforce' pro-Assad forces".</summary>
internal static class ArticleSpeakers
{
    public static readonly Speaker Araqchi = new()
    {
        Id = "araqchi",
        DisplayName = "Abbas Araqchi",
        Kind = SpeakerKind.Person,
        Aliases = ["Abbas Araghchi"],
        Roles = [new("Foreign Minister", "Iran", new DateOnly(2024, 8, 21), null)],
    };

    public static readonly Speaker Peskov = new()
    {
        Id = "peskov",
        DisplayName = "Dmitry Peskov",
        Kind = SpeakerKind.Person,
        Roles = [new("Kremlin spokesperson", "Russia", null, null)],
    };

    public static readonly Speaker Fidan = new()
    {
        Id = "fidan",
        DisplayName = "Hakan Fidan",
        Kind = SpeakerKind.Person,
        Roles = [new("Foreign Minister", "Turkiye", new DateOnly(2023, 6, 4), null)],
    };

    public static readonly Speaker Bahra = new()
    {
        Id = "bahra",
        DisplayName = "Hadi Al Bahra",
        Kind = SpeakerKind.Person,
        Roles = [new("President of the Syrian National Coalition", "Syrian opposition", null, null)],
    };

    public static readonly Speaker Assad = new()
    {
        Id = "assad",
        DisplayName = "Bashar al-Assad",
        Kind = SpeakerKind.Person,
        Roles = [new("President", "Syria", null, new DateOnly(2024, 12, 8))],
    };

    public static readonly Speaker WhiteHelmets = new()
    {
        Id = "white-helmets",
        DisplayName = "the White Helmets",
        Kind = SpeakerKind.Organization,
        Aliases = ["Syria Civil Defence"],
    };

    public static readonly Speaker[] All = [Araqchi, Peskov, Fidan, Bahra, Assad, WhiteHelmets];
}
