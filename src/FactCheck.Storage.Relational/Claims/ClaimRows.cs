using System.Text.Json;

namespace FactCheck.Storage.Relational.Claims;

/// <summary>
/// The one mapping between claims (with their appearances) and their rows, used by every read and write so the round
/// trip stays lossless: optional strings are NULL, lists are JSON arrays (empty, never NULL). Readers go by ordinal,
/// so each column list sits next to the reader that consumes it.
/// </summary>
public static class ClaimRows
{
    public const string Columns =
        "c.seq, c.id, c.speaker_id, c.attributed_to, c.text, c.kind, c.said_on, c.context, c.language_code, " +
        "c.attribution_confidence, c.status, c.create_time, c.update_time, c.version";

    /// <summary>Ordinal of the first column a query selects after <see cref="Columns"/>.</summary>
    public const int ColumnCount = 14;

    /// <summary>The claim without its appearances, which live in their own table.</summary>
    public static Claim Read(DbRow r) => new()
    {
        Id = r.String(1),
        SpeakerId = r.NullableString(2),
        AttributedTo = r.NullableString(3),
        Text = r.String(4),
        Kind = (AttributionKind)r.Int32(5),
        SaidOn = r.NullableDay(6),
        Context = r.NullableString(7),
        LanguageCode = r.String(8),
        AttributionConfidence = r.Double(9),
        Status = (VerificationStatus)r.Int32(10),
        CreateTime = r.Time(11),
        UpdateTime = r.Time(12),
        Version = r.Int64(13),
    };

    /// <summary>
    /// <see cref="Columns"/> and then, as one JSON column, the claim's appearances in order (read by
    /// <see cref="ReadWithAppearances"/>): a claim with its appearances in one statement, which sees one snapshot without
    /// a transaction and costs PostgreSQL one round trip rather than one per table.
    /// </summary>
    public static string ColumnsWithAppearances(SqlDialect dialect)
    {
        var appearance = dialect.JsonArray("a.url", "a.publication", "a.title", dialect.JsonTime("a.publish_time"),
            dialect.JsonColumn("a.credited_outlets"), "a.quoted_sentence");
        return $"{Columns}, {dialect.JsonArrayOf(appearance, "appearances", "a", "a.claim_seq = c.seq", "a.position")}";
    }

    /// <summary>The claim with its appearances, from <see cref="ColumnsWithAppearances"/>.</summary>
    public static Claim ReadWithAppearances(DbRow r) => Read(r) with { Appearances = AppearancesFromJson(r.String(ColumnCount)) };

    private static List<Appearance> AppearancesFromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var appearances = new List<Appearance>(document.RootElement.GetArrayLength());
        foreach (var a in document.RootElement.EnumerateArray())
            appearances.Add(new Appearance
            {
                Url = a[0].GetString()!,
                Publication = a[1].GetString()!,
                Title = a[2].GetString(),
                PublishTime = a[3].ValueKind == JsonValueKind.Null ? null : DateTimeOffset.UnixEpoch.AddTicks(a[3].GetInt64() * TimeSpan.TicksPerMicrosecond),
                CreditedOutlets = a[4].EnumerateArray().Select(outlet => outlet.GetString()!).ToArray(),
                QuotedSentence = a[5].GetString(),
            });
        return appearances;
    }

    /// <summary>Parameters named after the claims columns, shared by INSERT and UPDATE.</summary>
    public static (string, object?)[] Parameters(Claim c) =>
    [
        ("@id", c.Id), ("@speaker_id", c.SpeakerId), ("@attributed_to", c.AttributedTo), ("@text", c.Text), ("@kind", (int)c.Kind),
        ("@said_on", c.SaidOn), ("@sort_day", c.SortDay.DayNumber), ("@context", c.Context), ("@language_code", c.LanguageCode),
        ("@attribution_confidence", c.AttributionConfidence), ("@status", (int)c.Status), ("@create_time", c.CreateTime),
        ("@update_time", c.UpdateTime), ("@version", c.Version),
    ];

    public const string AppearanceColumns = "claim_seq, url, publication, title, publish_time, credited_outlets, quoted_sentence";

    public static (long ClaimSeq, Appearance Appearance) ReadAppearance(DbRow r) => (r.Int64(0), new Appearance
    {
        Url = r.String(1),
        Publication = r.String(2),
        Title = r.NullableString(3),
        PublishTime = r.NullableTime(4),
        CreditedOutlets = r.Json<string[]>(5),
        QuotedSentence = r.NullableString(6),
    });

    public const string InsertAppearance =
        """
        INSERT INTO appearances (claim_seq, position, url, publication, publication_folded, title, publish_time, credited_outlets, quoted_sentence)
        VALUES (@claim_seq, @position, @url, @publication, @publication_folded, @title, @publish_time, @credited_outlets, @quoted_sentence)
        """;

    /// <summary>The rows of a claim's appearances (<see cref="DbSession.InsertRowsAsync"/>), in its order.</summary>
    public static IEnumerable<(string, object?)[]> AppearanceRows(long claimSeq, Claim claim) =>
        claim.Appearances.Select((appearance, position) => AppearanceParameters(claimSeq, position, appearance));

    public static (string, object?)[] AppearanceParameters(long claimSeq, int position, Appearance a) =>
    [
        ("@claim_seq", claimSeq), ("@position", position), ("@url", a.Url), ("@publication", a.Publication),
        ("@publication_folded", FoldPublication(a.Publication)), ("@title", a.Title), ("@publish_time", a.PublishTime),
        ("@credited_outlets", JsonText.Of(a.CreditedOutlets)), ("@quoted_sentence", a.QuotedSentence),
    ];
}
