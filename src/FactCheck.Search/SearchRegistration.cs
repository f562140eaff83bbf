using FactCheck.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FactCheck.Search;

public static class SearchRegistration
{
    /// <summary>
    /// Puts <see cref="IndexedClaimSearch"/> (a Lucene.Net index at <paramref name="indexPath"/>) in front of the claim
    /// search the store registered, which keeps the quote look-ups and serves word searches until the index is ready.
    /// Call after adding the store.
    /// </summary>
    public static IServiceCollection AddIndexedClaimSearch(this IServiceCollection services, string indexPath)
    {
        var storeSearch = services.Last(descriptor => descriptor.ServiceType == typeof(IClaimSearch));
        services.Remove(storeSearch);
        services.AddSingleton(provider => new ClaimSearchIndex(indexPath, Loggers(provider).CreateLogger<ClaimSearchIndex>()));
        services.AddSingleton(provider => new IndexedClaimSearch(
            storeSearch.ImplementationFactory is { } create ? (IClaimSearch)create(provider) : (IClaimSearch)storeSearch.ImplementationInstance!,
            provider.GetRequiredService<IClaimStore>(), provider.GetRequiredService<IAuditStore>(), provider.GetRequiredService<ClaimSearchIndex>(),
            Loggers(provider).CreateLogger<IndexedClaimSearch>()));
        services.AddSingleton<IClaimSearch>(provider => provider.GetRequiredService<IndexedClaimSearch>());
        services.AddHostedService(provider => new ClaimIndexUpdater(provider.GetRequiredService<IndexedClaimSearch>(),
            Loggers(provider).CreateLogger<ClaimIndexUpdater>()));
        return services;
    }

    private static ILoggerFactory Loggers(IServiceProvider provider) => provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
}
