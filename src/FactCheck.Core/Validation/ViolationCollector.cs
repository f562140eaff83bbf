using System.Text.RegularExpressions;

namespace FactCheck.Core.Validation;

/// <summary>Collects every bad field of a request so the client learns them all in one INVALID_ARGUMENT.</summary>
public sealed partial class ViolationCollector
{
    private readonly List<FieldViolation> violations = [];

    // Enough to fix a request; more would only let a huge bad request produce a huge error.
    private const int MaxViolations = 50;

    public void Add(string field, string description)
    {
        if (violations.Count < MaxViolations) violations.Add(new FieldViolation(field, description));
    }

    /// <summary>Non-blank and at most <paramref name="maxLength"/> characters.</summary>
    public void Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "required");
        else MaxLength(field, value, maxLength);
    }

    public void MaxLength(string field, string? value, int maxLength)
    {
        if (value is null) return;
        if (value.Length > maxLength) Add(field, $"must be at most {maxLength} characters (got {value.Length})");
        // PostgreSQL cannot store NUL in text; refuse it everywhere so every store accepts the same input.
        if (value.Contains('\0')) Add(field, "must not contain NUL characters");
    }

    /// <summary>False (and a violation) when there are too many: callers then skip checking each item.</summary>
    public bool MaxCount<T>(string field, IReadOnlyCollection<T> items, int maxCount)
    {
        if (items.Count <= maxCount) return true;
        Add(field, $"must have at most {maxCount} entries (got {items.Count})");
        return false;
    }

    public void HttpUrl(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) { Add(field, "required"); return; }
        MaxLength(field, value, Limits.UrlLength);
        if (value.Contains('\0')) return;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
            Add(field, "must be an absolute http or https URL");
    }

    /// <summary>Well-formed BCP-47 (RFC 5646) language-script-region-variant tags, e.g. en, fa-IR, zh-Hant-TW.</summary>
    public void LanguageTag(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "required: a BCP-47 language tag such as en or fa-IR");
        else if (value.Length > 35 || !LanguageTagPattern().IsMatch(value)) Add(field, $"'{ResourceNames.Truncate(value)}' is not a well-formed BCP-47 language tag");
    }

    public void ThrowIfAny()
    {
        if (violations.Count > 0) throw new InvalidArgumentException(violations.ToArray());
    }

    [GeneratedRegex(@"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$")]
    private static partial Regex LanguageTagPattern();
}

/// <summary>Size limits on stored fields: generous for real reporting, small enough that one request can't bloat the store.</summary>
public static class Limits
{
    public const int NameLength = 200;
    public const int TextLength = 10_000;
    public const int AttributedToLength = 500;
    public const int ContextLength = 2_000;
    public const int DescriptionLength = 2_000;
    public const int UrlLength = 2_048;
    public const int TitleLength = 500;
    public const int Aliases = 50;
    public const int Roles = 50;
    public const int Appearances = 200;
    public const int CreditedOutlets = 20;
    public const int RequestIdLength = 128;
    public const int BatchGet = 1000;
    public const int ImportBatch = 5000;
    public const int QueryLength = 500;
    /// <summary>Search ranks the newest this-many matching claims: a query of common words matches a large share of
    /// a big record, and ranking every match would make its cost grow with the record.</summary>
    public const int SearchWindow = 2_000;
}
