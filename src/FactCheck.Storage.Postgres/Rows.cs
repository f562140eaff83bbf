using System.Text.Json;
using FactCheck.Core.Claims;
using FactCheck.Core.Speakers;
using FactCheck.Core.Storage;
using Npgsql;
using static FactCheck.Core.Storage.StoredValues;

namespace FactCheck.Storage.Postgres;

/// <summary>
/// The one mapping between the Core records and their rows, used by every read and write so the round trip stays
/// lossless: optional strings are NULL, lists are JSON arrays (empty, never NULL), times are timestamptz in UTC.
/// Readers go by ordinal, so each column list sits next to the reader that consumes it. Statements cast the JSON
/// parameters (sent as text) to jsonb.
/// </summary>
internal static class Rows
{
    public const string SpeakerColumns =
        "s.seq, s.id, s.display_name, s.kind, s.aliases, s.roles, s.wikidata_id, s.description, s.create_time, s.update_time, s.version";

    public static Sequenced<Speaker> ReadSpeaker(NpgsqlDataReader r) => new(new Speaker
    {
        Id = r.GetString(1),
        DisplayName = r.GetString(2),
        Kind = (SpeakerKind)r.GetInt32(3),
        Aliases = FromJson<string[]>(r.GetString(4)),
        Roles = FromJson<Role[]>(r.GetString(5)),
        WikidataId = r.GetNullableString(6),
        Description = r.GetNullableString(7),
        CreateTime = r.GetFieldValue<DateTimeOffset>(8),
        UpdateTime = r.GetFieldValue<DateTimeOffset>(9),
        Version = r.GetInt64(10),
    }, r.GetInt64(0));

    /// <summary>Parameters named after the speakers columns, shared by INSERT and UPDATE.</summary>
    public static (string, object?)[] SpeakerParameters(Speaker s) =>
    [
        ("id", s.Id), ("display_name", s.DisplayName), ("kind", (int)s.Kind), ("aliases", ToJson(s.Aliases)),
        ("roles", ToJson(s.Roles)), ("wikidata_id", s.WikidataId), ("description", s.Description),
        ("create_time", s.CreateTime), ("update_time", s.UpdateTime), ("version", s.Version),
    ];

    public const string ClaimColumns =
        "c.seq, c.id, c.speaker_id, c.attributed_to, c.text, c.kind, c.said_on, c.context, c.language_code, " +
        "c.attribution_confidence, c.status, c.create_time, c.update_time, c.version";

    /// <summary>Ordinal of the first column a query selects after <see cref="ClaimColumns"/>.</summary>
    public const int ClaimColumnCount = 14;

    /// <summary>The claim without its appearances, which live in their own table.</summary>
    public static Claim ReadClaim(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(1),
        SpeakerId = r.GetNullableString(2),
        AttributedTo = r.GetNullableString(3),
        Text = r.GetString(4),
        Kind = (AttributionKind)r.GetInt32(5),
        SaidOn = r.IsDBNull(6) ? null : r.GetFieldValue<DateOnly>(6),
        Context = r.GetNullableString(7),
        LanguageCode = r.GetString(8),
        AttributionConfidence = r.GetDouble(9),
        Status = (VerificationStatus)r.GetInt32(10),
        CreateTime = r.GetFieldValue<DateTimeOffset>(11),
        UpdateTime = r.GetFieldValue<DateTimeOffset>(12),
        Version = r.GetInt64(13),
    };

    /// <summary>Parameters named after the claims columns, shared by INSERT and UPDATE (search_text feeds the search column).</summary>
    public static (string, object?)[] ClaimParameters(Claim c) =>
    [
        ("id", c.Id), ("speaker_id", c.SpeakerId), ("attributed_to", c.AttributedTo), ("text", c.Text),
        ("search_text", SearchText.Fold(c.Text)), ("kind", (int)c.Kind), ("said_on", c.SaidOn), ("sort_day", c.SortDay.DayNumber),
        ("context", c.Context), ("language_code", c.LanguageCode), ("attribution_confidence", c.AttributionConfidence),
        ("status", (int)c.Status), ("create_time", c.CreateTime), ("update_time", c.UpdateTime), ("version", c.Version),
    ];

    public const string AppearanceColumns = "claim_seq, url, publication, title, publish_time, credited_outlets, quoted_sentence";

    public static (long ClaimSeq, Appearance Appearance) ReadAppearance(NpgsqlDataReader r) => (r.GetInt64(0), new Appearance
    {
        Url = r.GetString(1),
        Publication = r.GetString(2),
        Title = r.GetNullableString(3),
        PublishTime = r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4),
        CreditedOutlets = FromJson<string[]>(r.GetString(5)),
        QuotedSentence = r.GetNullableString(6),
    });

    public static (string, object?)[] AppearanceParameters(long claimSeq, int position, Appearance a) =>
    [
        ("claim_seq", claimSeq), ("position", position), ("url", a.Url), ("publication", a.Publication),
        ("publication_folded", FoldPublication(a.Publication)), ("title", a.Title), ("publish_time", a.PublishTime),
        ("credited_outlets", ToJson(a.CreditedOutlets)), ("quoted_sentence", a.QuotedSentence),
    ];

    private static string ToJson<T>(T value) => JsonSerializer.Serialize(value);

    private static T FromJson<T>(string json) => JsonSerializer.Deserialize<T>(json)
        ?? throw new InvalidDataException($"unexpected JSON null in a {typeof(T).Name} column");
}
