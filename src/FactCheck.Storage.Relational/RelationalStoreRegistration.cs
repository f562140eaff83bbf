using Microsoft.Extensions.DependencyInjection;

namespace FactCheck.Storage.Relational;

public static class RelationalStoreRegistration
{
    /// <summary>
    /// Registers every storage port of Core over one database: the implementations both databases share, the claim
    /// store and search that each database writes its own way, and the schema migration run as the host starts
    /// (registered first, so it runs before any other hosted service reads the store). The container disposes the
    /// database, closing its connections, when the host shuts down.
    /// </summary>
    public static IServiceCollection AddRelationalStore<TDatabase>(this IServiceCollection services, Func<IServiceProvider, TDatabase> database,
        Func<TDatabase, ClaimStore> claims, Func<TDatabase, IClaimSearch> search) where TDatabase : RelationalDatabase
    {
        services.AddLogging();
        services.AddSingleton<RelationalDatabase>(database);
        services.AddHostedService<SchemaMigration>();
        services.AddSingleton<ISpeakerStore, SpeakerStore>();
        services.AddSingleton<IClaimStore>(provider => claims((TDatabase)provider.GetRequiredService<RelationalDatabase>()));
        services.AddSingleton<IClaimSearch>(provider => search((TDatabase)provider.GetRequiredService<RelationalDatabase>()));
        services.AddSingleton<IReviewStore, ReviewStore>();
        services.AddSingleton<IClaimVectorStore, ClaimVectorStore>();
        services.AddSingleton<IClaimRelationStore, ClaimRelationStore>();
        services.AddSingleton<IAuditStore, AuditStore>();
        services.AddSingleton<IApiKeyStore, ApiKeyStore>();
        services.AddSingleton<IInstallationStore, InstallationStore>();
        services.AddSingleton<IInvalidationOutbox, InvalidationOutboxStore>();
        return services;
    }
}
