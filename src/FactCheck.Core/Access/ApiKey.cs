using System.Text.Json.Serialization;

namespace FactCheck.Core.Access;

/// <summary>What a principal may do. Admin implies every other role.</summary>
[Flags]
public enum Roles
{
    None = 0,
    Reader = 1,
    Editor = 2,
    Reviewer = 4,
    Auditor = 8,
    Admin = 16,
}

/// <summary>An API key as stored: only the SHA-256 of the secret, never the secret.</summary>
public sealed record ApiKey
{
    public required string Id { get; init; }
    public required string Principal { get; init; }
    public Roles Roles { get; init; }
    /// <summary>SHA-256 of the key's secret. Keys are 256 random bits, so a fast hash is enough.</summary>
    // Not in audit snapshots (nor any JSON). Not `required` either: System.Text.Json refuses to serialize a type
    // with a required member it ignores (by design: dotnet/runtime#82879).
    [JsonIgnore]
    public byte[] SecretHash { get; init; } = [];
    public string? Description { get; init; }
    public DateTimeOffset CreateTime { get; init; }
    public DateTimeOffset? RevokeTime { get; init; }

    public string ResourceName => $"apiKeys/{Id}";
}
