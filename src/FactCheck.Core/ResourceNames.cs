using System.Security.Cryptography;
using FactCheck.Core.Errors;

namespace FactCheck.Core;

/// <summary>AIP-122 resource names: <c>speakers/{id}</c>, <c>claims/{id}</c>.</summary>
public static class ResourceNames
{
    public const string SpeakersCollection = "speakers";
    public const string ClaimsCollection = "claims";
    /// <summary>The idempotency records' kind for an ImportClaims batch (whose resource id is the batch's first claim).</summary>
    public const string ClaimImportsCollection = "claims:import";
    private const int IdLength = 16;
    private const string IdAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

    public static string Speaker(string id) => $"{SpeakersCollection}/{id}";
    public static string Claim(string id) => $"{ClaimsCollection}/{id}";

    /// <summary>A random 80-bit id: unguessable, URL-safe, and fixed width so it sorts and indexes well.</summary>
    public static string NewId()
    {
        Span<char> chars = stackalloc char[IdLength];
        Span<byte> bytes = stackalloc byte[IdLength];
        RandomNumberGenerator.Fill(bytes);
        for (var i = 0; i < IdLength; i++) chars[i] = IdAlphabet[bytes[i] & 31];
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
