using FactCheck.Semantics.Embedding;
using FactCheck.Semantics.Evaluation;

namespace FactCheck.Semantics.Tests;

/// <summary>One MiniLM model (about 300 MB, a few seconds to load) and the seed fixture, shared by the tests that need them.</summary>
public sealed class ModelFixture : IDisposable
{
    public ModelFixture()
    {
        Root = EvaluationSet.RepositoryRoot(AppContext.BaseDirectory);
        Seed = SeedFixture.Load(Path.Combine(Root, "fixtures", "seed", "dawn-2024-12-03.json"));
        Cases = EvaluationSet.Load(Path.Combine(Root, "fixtures", "eval", "verification.jsonl"));
    }

    public string Root { get; }
    public SeedFixture Seed { get; }
    public IReadOnlyList<EvaluationCase> Cases { get; }
    public MiniLmEmbedder Embedder { get; } = new();

    private InMemoryVerifier? verifier;

    public async Task<InMemoryVerifier> VerifierAsync() => verifier ??= await InMemoryVerifier.CreateAsync(Seed, Embedder, CancellationToken.None);

    public void Dispose() => Embedder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ModelCollection : ICollectionFixture<ModelFixture>
{
    public const string Name = "model";
}
