using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FactCheck.Storage.Relational.Migrations;

/// <summary>Applies the versions of <see cref="SharedSchema"/> a database has not applied yet.</summary>
public static class MigrationRunner
{
    /// <summary>
    /// One write transaction, which DDL in both databases can be part of: a failed script leaves nothing behind. A
    /// second server starting at the same time waits for it (SQLite's write lock, PostgreSQL's advisory lock), then
    /// finds the versions applied instead of applying them again.
    /// </summary>
    public static Task ApplyAsync(RelationalDatabase database, SchemaDialect schema, int upToVersion, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            await session.Dialect.SerializeAsync(session, WriteScope.Migrations, null, cancellationToken);
            await session.ExecuteAsync(SharedSchema.Render(SharedSchema.History, schema), cancellationToken);
            var applied = Convert.ToInt32(await session.ScalarAsync("SELECT max(version) FROM schema_migrations", cancellationToken) ?? 0);
            for (var version = applied + 1; version <= Math.Min(SharedSchema.LatestVersion, upToVersion); version++)
            {
                var script = SharedSchema.Render(SharedSchema.Scripts[version - 1], schema);
                if (!string.IsNullOrWhiteSpace(script)) await session.ExecuteAsync(script, cancellationToken);
                if (schema.AfterScript.TryGetValue(version, out var after)) await after(session, cancellationToken);
                await session.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)", cancellationToken,
                    ("@version", version), ("@at", schema.AppliedAt(database.Clock.GetUtcNow())));
            }
            if (upToVersion >= SharedSchema.LatestVersion && schema.OnEveryStart is { } onStart) await onStart(session, cancellationToken);
            return applied;
        }, cancellationToken);
}

/// <summary>Brings the store's schema up to date when the host starts, then adds the events stored before the audit
/// log had its Merkle tree to the tree. Hosted services start in the order they were registered, and the store
/// registers this before anything that reads it.</summary>
public sealed class SchemaMigration(RelationalDatabase database, ILogger<SchemaMigration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        var added = await AuditTree.CatchUpAsync(database, cancellationToken);
        if (added > 0) logger.LogInformation("Added {Count} audit events stored before the audit log's Merkle tree to the tree", added);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
