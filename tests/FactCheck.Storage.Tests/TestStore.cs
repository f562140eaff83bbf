using FactCheck.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FactCheck.Storage.Tests;

/// <summary>
/// The storage ports of one database, wired as the server wires them (<c>AddSqliteStore</c>,
/// <c>AddPostgresStore</c>) and started as the host starts them (the schema migrated). Disposing it closes the
/// database's connections, as a server shutting down does.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private TestStore(ServiceProvider services) => this.services = services;

    public ISpeakerStore Speakers => services.GetRequiredService<ISpeakerStore>();
    public IClaimStore Claims => services.GetRequiredService<IClaimStore>();
    public IClaimSearch Search => services.GetRequiredService<IClaimSearch>();
    public IReviewStore Reviews => services.GetRequiredService<IReviewStore>();
    public IAuditStore Audit => services.GetRequiredService<IAuditStore>();
    public IApiKeyStore ApiKeys => services.GetRequiredService<IApiKeyStore>();
    public IInstallationStore Installation => services.GetRequiredService<IInstallationStore>();
    /// <summary>The database itself, for tests that play someone editing it behind the server's back.</summary>
    public Relational.RelationalDatabase Database => services.GetRequiredService<Relational.RelationalDatabase>();
    public IClaimVectorStore Vectors => services.GetRequiredService<IClaimVectorStore>();
    public IClaimRelationStore Relations => services.GetRequiredService<IClaimRelationStore>();

    public static async Task<TestStore> StartAsync(TimeProvider clock, Action<IServiceCollection> addStore)
    {
        var collection = new ServiceCollection().AddSingleton(clock);
        addStore(collection);
        var services = collection.BuildServiceProvider();
        try
        {
            foreach (var hosted in services.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
            return new TestStore(services);
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Stopped in reverse order, as the host stops them (a search index commits its position).
        foreach (var hosted in services.GetServices<IHostedService>().Reverse()) await hosted.StopAsync(CancellationToken.None);
        await services.DisposeAsync();
    }
}
