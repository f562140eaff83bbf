using FactCheck.Core.Claims;
using FactCheck.Core.Semantics;
using FactCheck.Core.Speakers;
using FactCheck.Core.Verification;

namespace FactCheck.Semantics.Evaluation;

/// <summary>
/// VerifyAttribution's whole decision pipeline in process, over a handful of records held in memory: speaker
/// resolution by <see cref="SpeakerNameMatcher"/> (accepted from <see cref="AttributionVerifier.MinimumResolutionScore"/>,
/// as the service does), candidates from exact cosine (the top <see cref="VectorCandidates"/>) together with every
/// claim sharing a shingle key with the text, then <see cref="VerificationDecision"/>. For the evaluation set and
/// tests; the service gets the same candidates from its indexes.
/// </summary>
public sealed class InMemoryVerifier
{
    public const int VectorCandidates = AttributionVerifier.VectorCandidates;

    private readonly IReadOnlyList<Speaker> speakers;
    private readonly IReadOnlyList<(Claim Claim, float[] Vector, HashSet<long> Keys)> claims;
    private readonly ITextEmbedder embedder;

    private InMemoryVerifier(IReadOnlyList<Speaker> speakers, IReadOnlyList<(Claim, float[], HashSet<long>)> claims, ITextEmbedder embedder)
    {
        this.speakers = speakers;
        this.claims = claims;
        this.embedder = embedder;
    }

    public static async Task<InMemoryVerifier> CreateAsync(SeedFixture fixture, ITextEmbedder embedder, CancellationToken cancellationToken)
    {
        var vectors = await embedder.EmbedAsync([.. fixture.Claims.Select(c => c.Text)], cancellationToken);
        return new InMemoryVerifier(fixture.Speakers,
            [.. fixture.Claims.Select((c, i) => (c, vectors[i], QuoteShingles.For(c.Text).ToHashSet()))], embedder);
    }

    /// <summary>Embeds the texts in one batch (far faster than one by one), for <see cref="Verify"/>.</summary>
    public ValueTask<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        embedder.EmbedAsync(texts, cancellationToken);

    public async Task<VerificationResult> VerifyAsync(string text, string speaker, DateOnly? saidOn, CancellationToken cancellationToken, MatchThresholds? thresholds = null) =>
        Verify(text, (await embedder.EmbedAsync([text], cancellationToken))[0], speaker, saidOn, thresholds);

    /// <param name="vector">The text's vector, embedded by the same model as the claims.</param>
    public VerificationResult Verify(string text, float[] vector, string speaker, DateOnly? saidOn, MatchThresholds? thresholds = null)
    {
        var keys = QuoteShingles.For(text);
        var scored = claims.Select(c => (c.Claim, c.Keys, Cosine: (double)Vectors.Cosine(vector, c.Vector))).ToList();
        var nearest = scored.OrderByDescending(c => c.Cosine).Take(VectorCandidates).Select(c => c.Claim.Id).ToHashSet();
        var candidates = scored
            .Where(c => nearest.Contains(c.Claim.Id) || keys.Any(c.Keys.Contains))
            .Select(c => new Candidate(c.Claim, c.Cosine));
        return VerificationDecision.Decide(new VerificationQuery(text, Resolve(speaker, saidOn), saidOn), candidates, thresholds);
    }

    public ClaimedSpeaker Resolve(string speaker, DateOnly? saidOn)
    {
        if (string.IsNullOrWhiteSpace(speaker)) return ClaimedSpeaker.Nobody;
        var best = speakers
            .Select(s => (Speaker: s, Match: SpeakerNameMatcher.Match(speaker, s, saidOn)))
            .Where(c => c.Match is { Score: >= AttributionVerifier.MinimumResolutionScore })
            .OrderByDescending(c => c.Match!.Score)
            .ThenBy(c => c.Speaker.DisplayName, StringComparer.Ordinal)
            .FirstOrDefault();
        return new ClaimedSpeaker(speaker, best.Speaker);
    }
}
