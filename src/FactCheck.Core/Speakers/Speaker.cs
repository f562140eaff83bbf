namespace FactCheck.Core.Speakers;

// Numeric values match factcheck.v1.SpeakerKind so mapping is a cast.
public enum SpeakerKind { Unspecified = 0, Person = 1, Organization = 2, Group = 3 }

public sealed record Role(string Title, string? Organization, DateOnly? Start, DateOnly? End)
{
    public bool HeldOn(DateOnly day) => (Start is null || Start <= day) && (End is null || day <= End);
}

public sealed record Speaker
{
    public required string Id { get; init; }
    public required string DisplayName { get; init; }
    public SpeakerKind Kind { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public IReadOnlyList<Role> Roles { get; init; } = [];
    public string? WikidataId { get; init; }
    public string? Description { get; init; }
    public DateTimeOffset CreateTime { get; init; }
    public DateTimeOffset UpdateTime { get; init; }
    /// <summary>Incremented by every stored change; the etag is derived from it.</summary>
    public long Version { get; init; }

    public string ResourceName => ResourceNames.Speaker(Id);
}
