using FactCheck.Core.Audit;

namespace FactCheck.Core.Storage;

/// <summary>
/// The append-only audit log. It has no append method of its own: every method of the other ports that changes
/// something takes an <see cref="AuditContext"/> and appends, in the same transaction as the change, one
/// <see cref="AuditEvent"/> per changed resource (before/after from <see cref="AuditSnapshots"/>, sealed with
/// <see cref="AuditChain.Seal"/> after the last stored event, at the store's current time truncated to
/// microseconds). Appends are serialized so the chain has no forks or gaps. An idempotent replay (a request id seen
/// before) changes nothing and appends nothing.
/// </summary>
public interface IAuditStore
{
    /// <summary>Audit events matching <paramref name="filter"/> in log order, with Sequence greater than
    /// <paramref name="afterSequence"/>.</summary>
    Task<IReadOnlyList<AuditEvent>> ListAuditEventsAsync(AuditFilter filter, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>Every audit event in log order, streamed (for chain verification of a large log) from one consistent
    /// snapshot, never all held in memory. Returns what is stored, without checking it.</summary>
    IAsyncEnumerable<AuditEvent> ReadAuditLogAsync(CancellationToken cancellationToken);
}
