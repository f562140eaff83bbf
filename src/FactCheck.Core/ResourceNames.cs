using System.Security.Cryptography;

namespace FactCheck.Core;

/// <summary>AIP-122 resource names: <c>speakers/{id}</c>, <c>claims/{id}</c>.</summary>
public static class ResourceNames
{
    public const string SpeakersCollection = "speakers";
    public const string ClaimsCollection = "claims";
    /// <summary>The idempotency records' kind for an ImportClaims batch (whose resource id is the batch's first claim).</summary>
    public const string ClaimImportsCollection = "claims:import";
    private const int IdLength = 16;
    private const int TimeLength = 7; // 35 bits of seconds: until the year 3058
    private const string IdAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

    public static string Speaker(string id) => $"{SpeakersCollection}/{id}";
    public static string Claim(string id) => $"{ClaimsCollection}/{id}";
    public static string Relation(string claimId, string relationId) => $"{ClaimsCollection}/{claimId}/{RelationsCollection}/{relationId}";

    public const string RelationsCollection = "relations";

    /// <summary>Parses <c>claims/{claim}/relations/{relation}</c>, reporting a violation on <paramref name="field"/> when malformed.</summary>
    public static (string ClaimId, string RelationId) ParseRelation(string? resourceName, string field)
    {
        var parts = resourceName?.Split('/') ?? [];
        if (parts.Length != 4 || parts[0] != ClaimsCollection || parts[2] != RelationsCollection || !IsValidId(parts[1]) || !IsValidId(parts[3]))
            throw new InvalidArgumentException(field, string.IsNullOrEmpty(resourceName)
                ? "required: a resource name such as claims/0123abcd/relations/4567efgh"
                : $"'{Truncate(resourceName)}' is not a claims/{{claim}}/relations/{{relation}} resource name");
        return (parts[1], parts[3]);
    }

    /// <summary>
    /// A 16-character id, URL-safe and fixed width: 7 characters of the creation time (Unix seconds, base32, so ids
    /// sort by time to the second) and 45 random bits. Time first, like UUIDv7, makes new ids land at the end of
    /// every index on them (claim ids, the audit log's resource names) instead of on a random page each: a bulk
    /// import then dirties a few pages of those indexes per batch rather than one per claim. The random part keeps
    /// ids unguessable among those made in the same second. The time is <paramref name="clock"/>'s, so use cases
    /// stamp ids with the clock they were given, as they do every other time they write.
    /// </summary>
    public static string NewId(TimeProvider clock) => NewId(clock.GetUtcNow());

    /// <summary>An id stamped with the system clock, for code that holds no clock (tests, the stores' audit events).</summary>
    public static string NewId() => NewId(TimeProvider.System);

    /// <summary>An id stamped with <paramref name="now"/> (see <see cref="NewId(TimeProvider)"/>).</summary>
    public static string NewId(DateTimeOffset now)
    {
        Span<char> chars = stackalloc char[IdLength];
        var seconds = (ulong)Math.Max(0, now.ToUnixTimeSeconds());
        for (var i = TimeLength - 1; i >= 0; i--, seconds >>= 5) chars[i] = IdAlphabet[(int)(seconds & 31)];
        Span<byte> bytes = stackalloc byte[IdLength - TimeLength];
        RandomNumberGenerator.Fill(bytes);
        for (var i = TimeLength; i < IdLength; i++) chars[i] = IdAlphabet[bytes[i - TimeLength] & 31];
        return new string(chars);
    }

    /// <summary>Parses <c>{collection}/{id}</c>, reporting a violation on <paramref name="field"/> when malformed.</summary>
    public static string ParseId(string collection, string? resourceName, string field)
    {
        if (string.IsNullOrEmpty(resourceName))
            throw new InvalidArgumentException(field, $"required: a resource name such as {collection}/0123abcd");
        var prefix = collection + "/";
        if (!resourceName.StartsWith(prefix, StringComparison.Ordinal) || !IsValidId(resourceName.AsSpan(prefix.Length)))
            throw new InvalidArgumentException(field, $"'{Truncate(resourceName)}' is not a {collection}/{{id}} resource name");
        return resourceName[prefix.Length..];
    }

    private static bool IsValidId(ReadOnlySpan<char> id)
    {
        if (id.Length is 0 or > 64) return false;
        foreach (var c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        return true;
    }

    /// <summary>Client input quoted in an error message, cut short so errors cannot grow with the input.</summary>
    public static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
