namespace FactCheck.Core.Audit;

/// <summary>Who is making a change and why; every mutating store call takes one and records it with the change.</summary>
/// <param name="Principal">The authenticated principal (never a name the client supplied).</param>
/// <param name="Action">What is done, e.g. <see cref="AuditActions.ClaimUpdate"/>.</param>
/// <param name="Reason">The reason the client gave, if any.</param>
/// <param name="RequestId">The client's request id, if any.</param>
public sealed record AuditContext(string Principal, string Action, string? Reason = null, string? RequestId = null);

public static class AuditActions
{
    public const string SpeakerCreate = "speaker.create";
    public const string SpeakerUpdate = "speaker.update";
    public const string ClaimCreate = "claim.create";
    public const string ClaimUpdate = "claim.update";
    public const string ClaimAddAppearance = "claim.add_appearance";
    public const string ClaimDelete = "claim.delete";
    public const string ReviewCreate = "review.create";
    public const string RelationConfirm = "relation.confirm";
    public const string RelationReject = "relation.reject";
    public const string ApiKeyCreate = "api_key.create";
    public const string ApiKeyRevoke = "api_key.revoke";
}

/// <summary>
/// One entry of the append-only, hash-chained audit log. <see cref="Hash"/> is SHA-256 over
/// <see cref="PreviousHash"/> and the event's canonical bytes (<see cref="AuditChain"/>), so editing, deleting or
/// reordering any stored event breaks the chain from there on.
/// </summary>
public sealed record AuditEvent
{
    /// <summary>Position in the log, assigned by the store: 1, 2, 3, ... with no gaps.</summary>
    public long Sequence { get; init; }
    public required string Id { get; init; }
    public DateTimeOffset Time { get; init; }
    public required string Principal { get; init; }
    public required string Action { get; init; }
    /// <summary>The resource changed, e.g. <c>claims/abc</c>.</summary>
    public required string ResourceName { get; init; }
    /// <summary>JSON snapshot before the change (<see cref="AuditSnapshots"/>); null on create.</summary>
    public string? Before { get; init; }
    /// <summary>JSON snapshot after the change; null when nothing remains.</summary>
    public string? After { get; init; }
    public string? Reason { get; init; }
    public string? RequestId { get; init; }
    public byte[] PreviousHash { get; init; } = [];
    public byte[] Hash { get; init; } = [];
}

public sealed record AuditFilter
{
    public string? ResourceName { get; init; }
    public string? Principal { get; init; }
    public string? Action { get; init; }
    public DateTimeOffset? From { get; init; }
    /// <summary>Exclusive.</summary>
    public DateTimeOffset? To { get; init; }
    /// <summary>Only events up to this sequence (a checkpoint's size), when set.</summary>
    public long? ThroughSequence { get; init; }
}

/// <summary>The caller of a domain operation, as recorded in the audit log.</summary>
public sealed record Actor(string Principal, string? Reason = null, string? RequestId = null)
{
    public AuditContext For(string action) => new(Principal, action, Reason, RequestId);
}
