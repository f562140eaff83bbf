using FactCheck.Core.Access;
using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Reviews;
using FactCheck.Core.Speakers;
using FactCheck.Core.Storage;
using Microsoft.Data.Sqlite;
using static FactCheck.Core.Storage.StoredValues;

namespace FactCheck.Storage.Sqlite;

/// <summary>
/// The one mapping between the Core records and their rows, used by every read and write so the round trip stays
/// lossless: optional strings are NULL, lists are JSON arrays (empty, never NULL), times are unix microseconds.
/// Readers go by ordinal, so each column list sits next to the reader that consumes it.
/// </summary>
internal static class Rows
{
    public const string SpeakerColumns =
        "s.seq, s.id, s.display_name, s.kind, s.aliases_json, s.roles_json, s.wikidata_id, s.description, s.create_time, s.update_time, s.version";

    public static Sequenced<Speaker> ReadSpeaker(SqliteDataReader r) => new(new Speaker
    {
        Id = r.GetString(1),
        DisplayName = r.GetString(2),
        Kind = (SpeakerKind)r.GetInt32(3),
        Aliases = FromJson<string[]>(r.GetString(4)),
        Roles = FromJson<Role[]>(r.GetString(5)),
        WikidataId = r.GetNullableString(6),
        Description = r.GetNullableString(7),
        CreateTime = FromMicros(r.GetInt64(8)),
        UpdateTime = FromMicros(r.GetInt64(9)),
        Version = r.GetInt64(10),
    }, r.GetInt64(0));

    /// <summary>Parameters named after the speakers columns, shared by INSERT and UPDATE.</summary>
    public static (string, object?)[] SpeakerParameters(Speaker s) =>
    [
        ("$id", s.Id), ("$display_name", s.DisplayName), ("$kind", (int)s.Kind), ("$aliases_json", ToJson(s.Aliases)),
        ("$roles_json", ToJson(s.Roles)), ("$wikidata_id", s.WikidataId), ("$description", s.Description),
        ("$create_time", ToMicros(s.CreateTime)), ("$update_time", ToMicros(s.UpdateTime)), ("$version", s.Version),
    ];

    public const string ClaimColumns =
        "c.seq, c.id, c.speaker_id, c.attributed_to, c.text, c.kind, c.said_on, c.context, c.language_code, " +
        "c.attribution_confidence, c.status, c.create_time, c.update_time, c.version";

    /// <summary>Ordinal of the first column a query selects after <see cref="ClaimColumns"/>.</summary>
    public const int ClaimColumnCount = 14;

    /// <summary>The claim without its appearances, which live in their own table.</summary>
    public static Claim ReadClaim(SqliteDataReader r) => new()
    {
        Id = r.GetString(1),
        SpeakerId = r.GetNullableString(2),
        AttributedTo = r.GetNullableString(3),
        Text = r.GetString(4),
        Kind = (AttributionKind)r.GetInt32(5),
        SaidOn = r.IsDBNull(6) ? null : DateOnly.FromDayNumber(r.GetInt32(6)),
        Context = r.GetNullableString(7),
        LanguageCode = r.GetString(8),
        AttributionConfidence = r.GetDouble(9),
        Status = (VerificationStatus)r.GetInt32(10),
        CreateTime = FromMicros(r.GetInt64(11)),
        UpdateTime = FromMicros(r.GetInt64(12)),
        Version = r.GetInt64(13),
    };

    /// <summary>Parameters named after the claims columns, shared by INSERT and UPDATE.</summary>
    public static (string, object?)[] ClaimParameters(Claim c) =>
    [
        ("$id", c.Id), ("$speaker_id", c.SpeakerId), ("$attributed_to", c.AttributedTo), ("$text", c.Text), ("$kind", (int)c.Kind),
        ("$said_on", c.SaidOn?.DayNumber), ("$sort_day", c.SortDay.DayNumber), ("$context", c.Context),
        ("$language_code", c.LanguageCode), ("$attribution_confidence", c.AttributionConfidence), ("$status", (int)c.Status),
        ("$create_time", ToMicros(c.CreateTime)), ("$update_time", ToMicros(c.UpdateTime)), ("$version", c.Version),
    ];

    public const string AppearanceColumns = "claim_seq, url, publication, title, publish_time, credited_outlets_json, quoted_sentence";

    public static (long ClaimSeq, Appearance Appearance) ReadAppearance(SqliteDataReader r) => (r.GetInt64(0), new Appearance
    {
        Url = r.GetString(1),
        Publication = r.GetString(2),
        Title = r.GetNullableString(3),
        PublishTime = r.IsDBNull(4) ? null : FromMicros(r.GetInt64(4)),
        CreditedOutlets = FromJson<string[]>(r.GetString(5)),
        QuotedSentence = r.GetNullableString(6),
    });

    public static (string, object?)[] AppearanceParameters(long claimSeq, int position, Appearance a) =>
    [
        ("$claim_seq", claimSeq), ("$position", position), ("$url", a.Url), ("$publication", a.Publication),
        ("$publication_folded", FoldPublication(a.Publication)), ("$title", a.Title),
        ("$publish_time", a.PublishTime is { } t ? ToMicros(t) : null), ("$credited_outlets_json", ToJson(a.CreditedOutlets)),
        ("$quoted_sentence", a.QuotedSentence),
    ];

    /// <summary>Reviews joined to their claim (r, c) for the claim id.</summary>
    public const string ReviewColumns =
        "r.seq, r.id, c.id, r.reviewer, r.verdict, r.explanation, r.evidence_urls_json, r.create_time, r.supersedes_id";

    public static Sequenced<Review> ReadReview(SqliteDataReader r) => new(new Review
    {
        Id = r.GetString(1),
        ClaimId = r.GetString(2),
        Reviewer = r.GetString(3),
        Verdict = (ReviewVerdict)r.GetInt32(4),
        Explanation = r.GetString(5),
        EvidenceUrls = FromJson<string[]>(r.GetString(6)),
        CreateTime = FromMicros(r.GetInt64(7)),
        SupersedesId = r.GetNullableString(8),
    }, r.GetInt64(0));

    public static (string, object?)[] ReviewParameters(Review review, long claimSeq) =>
    [
        ("$id", review.Id), ("$claim_seq", claimSeq), ("$reviewer", review.Reviewer), ("$verdict", (int)review.Verdict),
        ("$explanation", review.Explanation), ("$evidence_urls_json", ToJson(review.EvidenceUrls)),
        ("$create_time", ToMicros(review.CreateTime)), ("$supersedes_id", review.SupersedesId),
    ];

    public const string AuditEventColumns =
        "seq, id, time, principal, action, resource_name, before, after, reason, request_id, previous_hash, hash";

    public static AuditEvent ReadAuditEvent(SqliteDataReader r) => new()
    {
        Sequence = r.GetInt64(0),
        Id = r.GetString(1),
        Time = FromMicros(r.GetInt64(2)),
        Principal = r.GetString(3),
        Action = r.GetString(4),
        ResourceName = r.GetString(5),
        Before = r.GetNullableString(6),
        After = r.GetNullableString(7),
        Reason = r.GetNullableString(8),
        RequestId = r.GetNullableString(9),
        PreviousHash = (byte[])r.GetValue(10),
        Hash = (byte[])r.GetValue(11),
    };

    public static (string, object?)[] AuditEventParameters(AuditEvent e) =>
    [
        ("$seq", e.Sequence), ("$id", e.Id), ("$time", ToMicros(e.Time)), ("$principal", e.Principal), ("$action", e.Action),
        ("$resource_name", e.ResourceName), ("$before", e.Before), ("$after", e.After), ("$reason", e.Reason),
        ("$request_id", e.RequestId), ("$previous_hash", e.PreviousHash), ("$hash", e.Hash),
    ];

    public const string ApiKeyColumns = "id, principal, roles, secret_hash, description, create_time, revoke_time";

    public static ApiKey ReadApiKey(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Principal = r.GetString(1),
        Roles = (Roles)r.GetInt32(2),
        SecretHash = (byte[])r.GetValue(3),
        Description = r.GetNullableString(4),
        CreateTime = FromMicros(r.GetInt64(5)),
        RevokeTime = r.IsDBNull(6) ? null : FromMicros(r.GetInt64(6)),
    };

    public static (string, object?)[] ApiKeyParameters(ApiKey key) =>
    [
        ("$id", key.Id), ("$principal", key.Principal), ("$roles", (int)key.Roles), ("$secret_hash", key.SecretHash),
        ("$description", key.Description), ("$create_time", ToMicros(key.CreateTime)),
        ("$revoke_time", key.RevokeTime is { } t ? ToMicros(t) : null),
    ];

    /// <summary>The smallest whole microsecond at or after <paramref name="time"/>: for bounds compared with stored
    /// microseconds, "t &gt;= time" and "t &lt; time" are then exact.</summary>
    public static long CeilingMicros(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return ticks / TimeSpan.TicksPerMicrosecond + (ticks % TimeSpan.TicksPerMicrosecond > 0 ? 1 : 0);
    }

    public static long ToMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);
}
