using FactCheck.Transparency.Audit;

namespace FactCheck.Core.Audit;

public static class AuditLeaves
{
    /// <summary>The event as a leaf of the audit log's Merkle tree: every column, encoded as clients re-encode it from
    /// <c>ListAuditEvents</c> (<see cref="AuditLeaf"/>).</summary>
    public static AuditLeaf ToLeaf(this AuditEvent e) =>
        new(e.Sequence, e.Id, e.Time, e.Principal, e.Action, e.ResourceName, e.Before, e.After, e.Reason, e.RequestId, e.PreviousHash, e.Hash);
}
