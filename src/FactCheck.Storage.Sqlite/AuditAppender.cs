using FactCheck.Core;
using FactCheck.Core.Audit;
using Microsoft.Data.Sqlite;
using static FactCheck.Core.Storage.StoredValues;
using static FactCheck.Storage.Sqlite.Rows;

namespace FactCheck.Storage.Sqlite;

/// <summary>
/// Appends events after the last stored one, in the caller's write transaction. Writers are serialized (the write
/// lock in this process, BEGIN IMMEDIATE across processes), so the last event cannot change between reading it here
/// and the inserts: no two events get one sequence, and none is sealed after a stale predecessor. The last event is
/// read once, so a batch of events costs one read however long it is.
/// </summary>
internal sealed class AuditAppender : IAsyncDisposable
{
    private readonly SqliteCommand insert;
    private long lastSequence;
    private byte[] lastHash;

    private AuditAppender(SqliteCommand insert, long lastSequence, byte[] lastHash) =>
        (this.insert, this.lastSequence, this.lastHash) = (insert, lastSequence, lastHash);

    public static async Task<AuditAppender> StartAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        long lastSequence = 0;
        var lastHash = AuditChain.Genesis;
        await using (var command = connection.Command("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            if (await reader.ReadAsync(cancellationToken))
                (lastSequence, lastHash) = (reader.GetInt64(0), (byte[])reader.GetValue(1));
        return new AuditAppender(connection.Command(
            """
            INSERT INTO audit_events (seq, id, time, principal, action, resource_name, before, after, reason, request_id, previous_hash, hash)
            VALUES ($seq, $id, $time, $principal, $action, $resource_name, $before, $after, $reason, $request_id, $previous_hash, $hash)
            """), lastSequence, lastHash);
    }

    public async Task AppendAsync(AuditContext audit, string resourceName, string? before, string? after, DateTimeOffset time,
        CancellationToken cancellationToken)
    {
        var sealedEvent = AuditChain.Seal(new AuditEvent
        {
            Id = ResourceNames.NewId(),
            Time = TruncateToMicros(time),
            Principal = audit.Principal,
            Action = audit.Action,
            ResourceName = resourceName,
            Before = before,
            After = after,
            Reason = audit.Reason,
            RequestId = audit.RequestId,
        }, lastSequence + 1, lastHash);
        await insert.Bind(AuditEventParameters(sealedEvent)).ExecuteNonQueryAsync(cancellationToken);
        (lastSequence, lastHash) = (sealedEvent.Sequence, sealedEvent.Hash);
    }

    public ValueTask DisposeAsync() => insert.DisposeAsync();
}
