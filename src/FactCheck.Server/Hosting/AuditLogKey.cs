using FactCheck.Core.Audit;
using FactCheck.Core.Storage;
using FactCheck.Transparency.Notes;

namespace FactCheck.Server.Hosting;

/// <summary>The audit log's signing key, the file it is kept in, and whether this start created it.</summary>
public sealed record AuditSigningKey(NoteSigner Signer, string Path, bool Created);

/// <summary>
/// The audit log's signing key (docs/audit-log.md), kept in a file outside the database so that whoever can write the
/// database cannot sign for it: <c>Audit:SigningKeyPath</c>, by default <c>audit-log.key</c> in the SQLite database's
/// folder (<c>data/</c>), or <c>data/audit-log.key</c> under the working directory with PostgreSQL. Created on the first
/// start, loaded after; its name is the log's origin, <c>Audit:Origin</c>. Its verifier key, which clients pin, is
/// printed when it is created and logged at every start. It is also recorded in the database the first time: a server
/// that starts with another key (a key file not shared by every instance, or one that was lost) refuses to start, since
/// clients would reject every checkpoint it signed.
/// </summary>
public sealed class AuditLogKey(AuditSigningKey key, IInstallationStore installation, ILogger<AuditLogKey> logger) : IHostedService
{
    /// <summary>The origin of a deployment that sets none; set <c>Audit:Origin</c> to your own before the first start.</summary>
    public const string DefaultOrigin = "factcheck.local/audit";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var verifierKey = key.Signer.Verifier.VerifierKey;
        if (key.Created)
        {
            // Printed, as the first admin key is, so that the operator sees it whatever the log settings.
            Console.WriteLine($"""

                ==> The audit log's signing key was created at {key.Path}.
                    Keep it (and a copy) away from the database and its backups: whoever holds it can sign for the log.
                    Clients pin its verifier key to check the log's checkpoints (factcheck --log-key, or FACTCHECK_LOG_KEY):
                    {verifierKey}

                """);
        }
        logger.LogInformation("The audit log {Origin} signs its checkpoints with the key in {KeyPath}; verifier key {VerifierKey}",
            key.Signer.Name, key.Path, verifierKey);
        var recorded = await installation.RecordAuditLogKeyAsync(verifierKey, cancellationToken);
        if (recorded != verifierKey)
        {
            throw new InvalidOperationException(
                $"this database's audit log is signed with the key {recorded}, but {key.Path} holds {verifierKey}. Every server on one " +
                "database must use the same key file (Audit:SigningKeyPath): clients reject checkpoints signed with another key. Put the " +
                "original key file back, or, to sign with a new key on purpose, have every client pin it and delete the " +
                "'audit_log_verifier_key' row of the installation table.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class AuditLogKeyRegistration
{
    /// <summary>Registers the key (read, or created, when first needed: as the host starts <see cref="AuditLogKey"/>)
    /// and <see cref="AuditCheckpoints"/>, which signs with it.</summary>
    public static IServiceCollection AddAuditLogKey(this IServiceCollection services, IConfiguration configuration)
    {
        var origin = configuration["Audit:Origin"] is { Length: > 0 } configured ? configured : AuditLogKey.DefaultOrigin;
        var path = Path.GetFullPath(configuration["Audit:SigningKeyPath"] is { Length: > 0 } keyPath ? keyPath : DefaultPath(configuration));
        services.AddSingleton(_ =>
        {
            var (signer, created) = SigningKeyFile.LoadOrCreate(path, origin);
            return new AuditSigningKey(signer, path, created);
        });
        services.AddSingleton(provider => new AuditCheckpoints(provider.GetRequiredService<IAuditStore>(), provider.GetRequiredService<AuditSigningKey>().Signer));
        services.AddHostedService<AuditLogKey>();
        return services;
    }

    /// <summary>Next to the SQLite database; with PostgreSQL, data/ under the working directory, as SQLite's default.</summary>
    private static string DefaultPath(IConfiguration configuration)
    {
        var sqlite = (configuration["Storage:Provider"] ?? "sqlite").Equals("sqlite", StringComparison.OrdinalIgnoreCase);
        var folder = sqlite ? Path.GetDirectoryName(Path.GetFullPath(configuration["Storage:Sqlite:Path"] ?? "data/factcheck.db"))! : "data";
        return Path.Combine(folder, "audit-log.key");
    }
}
