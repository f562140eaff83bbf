namespace FactCheck.Storage.Relational.Audit;

/// <summary>The one mapping between audit events and their rows. Before and After are kept as the exact text
/// <see cref="AuditSnapshots"/> wrote, since the hash covers it.</summary>
public static class AuditEventRows
{
    public const string Columns = "seq, id, time, principal, action, resource_name, before, after, reason, request_id, previous_hash, hash";

    public static AuditEvent Read(DbRow r) => new()
    {
        Sequence = r.Int64(0),
        Id = r.String(1),
        Time = r.Time(2),
        Principal = r.String(3),
        Action = r.String(4),
        ResourceName = r.String(5),
        Before = r.NullableString(6),
        After = r.NullableString(7),
        Reason = r.NullableString(8),
        RequestId = r.NullableString(9),
        PreviousHash = r.Bytes(10),
        Hash = r.Bytes(11),
    };

    /// <summary>An event's row, for <see cref="DbSession.InsertRowsAsync"/>: each value named as its column.</summary>
    public static (string, object?)[] Parameters(AuditEvent e) =>
    [
        ("@seq", e.Sequence), ("@id", e.Id), ("@time", e.Time), ("@principal", e.Principal), ("@action", e.Action),
        ("@resource_name", e.ResourceName), ("@before", e.Before), ("@after", e.After), ("@reason", e.Reason),
        ("@request_id", e.RequestId), ("@previous_hash", e.PreviousHash), ("@hash", e.Hash),
    ];
}
