using FactCheck.Core.Events;
using FactCheck.Core.Semantics;
using FactCheck.Core.Verification;
using FactCheck.Semantics.Embedding;
using FactCheck.Semantics.Index;
using FactCheck.Semantics.Indexing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FactCheck.Semantics.Hosting;

public static class SemanticsRegistration
{
    /// <summary>
    /// Verification by meaning as <c>Semantics</c> configures it (<see cref="SemanticOptions"/>): with a model, the
    /// <see cref="SemanticIndex"/> (the model loading in the background, the index built from the store at start and
    /// following its vector feed) and, unless disabled, the <see cref="EmbeddingIndexer"/>; without one
    /// (<c>none</c>/<c>off</c>), <see cref="LexicalOnly"/>. Either way the thresholds, the statistics and the
    /// <c>semantics</c> health check's inputs.
    /// </summary>
    public static IServiceCollection AddSemantics(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Semantics").Get<SemanticOptions>() ?? new SemanticOptions();
        services.AddSingleton(options);
        services.AddSingleton(MatchThresholds.Default);
        services.AddSingleton<SemanticStatistics>();
        var (model, load) = options.Embedder.Trim().ToLowerInvariant() switch
        {
            "none" or "off" => default((EmbeddingModel, Func<ITextEmbedder>)?),
            "minilm" => (MiniLmEmbedder.MiniLm, () => new MiniLmEmbedder(options.Threads, options.ScratchDirectory)),
            var other => throw new InvalidOperationException($"Semantics:Embedder '{other}' is not supported; use 'minilm', or 'none' for verification by words only"),
        } ?? (null!, null!);
        if (load is null)
        {
            services.AddSingleton<ISemanticSearch, LexicalOnly>();
            return services;
        }

        services.AddSingleton(provider => new SemanticIndex(model, load, () => RescoreVectors(options, model), provider.GetRequiredService<Core.Storage.IClaimVectorStore>(),
            provider.GetRequiredService<IDomainEvents>(), provider.GetRequiredService<SemanticStatistics>()));
        services.AddSingleton<ISemanticSearch>(provider => provider.GetRequiredService<SemanticIndex>());
        services.AddHostedService<VectorFeedFollower>();
        if (options.Indexer.Enabled)
        {
            services.AddSingleton<WriteActivity>();
            services.AddSingleton<IDomainEventListener>(provider => provider.GetRequiredService<WriteActivity>());
            services.AddHostedService<EmbeddingIndexer>();
        }
        return services;
    }

    private static IRescoreVectors RescoreVectors(SemanticOptions options, EmbeddingModel model) => options.RescoreVectors.Trim().ToLowerInvariant() switch
    {
        "heap" => new HeapRescoreVectors(model.Dimensions),
        "file" => new FileRescoreVectors(Path.Combine(options.ScratchDirectory ?? Path.GetTempPath(), $"factcheck-vectors-{Guid.NewGuid():N}.f16"), model.Dimensions),
        var other => throw new InvalidOperationException($"Semantics:RescoreVectors '{other}' is not supported; use 'file' or 'heap'"),
    };
}
