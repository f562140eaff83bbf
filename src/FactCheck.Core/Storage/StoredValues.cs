using FactCheck.Core.Claims;

namespace FactCheck.Core.Storage;

/// <summary>The forms every store keeps values in, so that all stores give back exactly the same values.</summary>
public static class StoredValues
{
    /// <summary>
    /// Times are kept to the microsecond (PostgreSQL's precision), in UTC, truncated towards the unix epoch; a store
    /// truncates what it writes the same way, so what a write returns equals what a later read gives back.
    /// </summary>
    public static DateTimeOffset TruncateToMicros(DateTimeOffset time) =>
        DateTimeOffset.UnixEpoch.AddTicks((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond * TimeSpan.TicksPerMicrosecond);

    /// <summary>Publish times are client-supplied; truncating them keeps the returned claim equal to the stored one.</summary>
    public static Claim WithMicrosecondTimes(Claim claim) => claim with
    {
        Appearances = claim.Appearances.Select(a => a with { PublishTime = a.PublishTime is { } t ? TruncateToMicros(t) : null }).ToList(),
    };

    /// <summary>Lists and records kept in a column as JSON (default System.Text.Json form, the same in every store).</summary>
    public static string ToJson<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value);

    public static T FromJson<T>(string json) => System.Text.Json.JsonSerializer.Deserialize<T>(json)
        ?? throw new InvalidDataException($"unexpected JSON null in a {typeof(T).Name} column");

    /// <summary>The case-insensitive form the publication filter compares (full Unicode, not the database's lower()).</summary>
    public static string FoldPublication(string publication) => publication.ToLowerInvariant();
}
