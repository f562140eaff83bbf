using FactCheck.Core.Access;
using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Reviews;
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

    public const string ReviewColumns =
        "r.seq, r.id, c.id, r.reviewer, r.verdict, r.explanation, r.evidence_urls, r.create_time, r.supersedes_id";

    /// <summary>Reads <see cref="ReviewColumns"/>, selected from reviews r joined to their claims c.</summary>
    public static Sequenced<Review> ReadReview(NpgsqlDataReader r) => new(new Review
    {
        Id = r.GetString(1),
        ClaimId = r.GetString(2),
        Reviewer = r.GetString(3),
        Verdict = (ReviewVerdict)r.GetInt32(4),
        Explanation = r.GetString(5),
        EvidenceUrls = FromJson<string[]>(r.GetString(6)),
        CreateTime = r.GetFieldValue<DateTimeOffset>(7),
        SupersedesId = r.GetNullableString(8),
    }, r.GetInt64(0));

    public static (string, object?)[] ReviewParameters(long claimSeq, Review review) =>
    [
        ("id", review.Id), ("claim_seq", claimSeq), ("reviewer", review.Reviewer), ("verdict", (int)review.Verdict),
        ("explanation", review.Explanation), ("evidence_urls", ToJson(review.EvidenceUrls)), ("create_time", review.CreateTime),
        ("supersedes_id", review.SupersedesId),
    ];

    public const string AuditEventColumns =
        "seq, id, time, principal, action, resource_name, before, after, reason, request_id, previous_hash, hash";

    public static AuditEvent ReadAuditEvent(NpgsqlDataReader r) => new()
    {
        Sequence = r.GetInt64(0),
        Id = r.GetString(1),
        Time = r.GetFieldValue<DateTimeOffset>(2),
        Principal = r.GetString(3),
        Action = r.GetString(4),
        ResourceName = r.GetString(5),
        Before = r.GetNullableString(6),
        After = r.GetNullableString(7),
        Reason = r.GetNullableString(8),
        RequestId = r.GetNullableString(9),
        PreviousHash = r.GetFieldValue<byte[]>(10),
        Hash = r.GetFieldValue<byte[]>(11),
    };

    public static (string, object?)[] AuditEventParameters(AuditEvent e) =>
    [
        ("seq", e.Sequence), ("id", e.Id), ("time", e.Time), ("principal", e.Principal), ("action", e.Action),
        ("resource_name", e.ResourceName), ("before", e.Before), ("after", e.After), ("reason", e.Reason),
        ("request_id", e.RequestId), ("previous_hash", e.PreviousHash), ("hash", e.Hash),
    ];

    public const string ApiKeyColumns = "id, principal, roles, secret_hash, description, create_time, revoke_time";

    public static ApiKey ReadApiKey(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        Principal = r.GetString(1),
        Roles = (Roles)r.GetInt32(2),
        SecretHash = r.GetFieldValue<byte[]>(3),
        Description = r.GetNullableString(4),
        CreateTime = r.GetFieldValue<DateTimeOffset>(5),
        RevokeTime = r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6),
    };

    public static (string, object?)[] ApiKeyParameters(ApiKey k) =>
    [
        ("id", k.Id), ("principal", k.Principal), ("roles", (int)k.Roles), ("secret_hash", k.SecretHash),
        ("description", k.Description), ("create_time", k.CreateTime), ("revoke_time", k.RevokeTime),
    ];
}
