using System.Text.Json;
using System.Text.Json.Serialization;

namespace FactCheck.Core.Audit;

/// <summary>The before/after values recorded in audit events: the domain record as compact snake_case JSON.</summary>
public static class AuditSnapshots
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Computed properties (resource names, sort days) are derived data, not state.
        IgnoreReadOnlyProperties = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Of<T>(T value) where T : class => JsonSerializer.Serialize(value, Options);

    /// <summary>The record a snapshot of <see cref="Of{T}"/> holds, or null for none (before a create, after a delete).</summary>
    public static T? Read<T>(string? snapshot) where T : class =>
        snapshot is null ? null : JsonSerializer.Deserialize<T>(snapshot, Options) ?? throw new InvalidDataException("an audit snapshot holds JSON null");
}
