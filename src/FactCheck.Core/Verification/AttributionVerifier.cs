using FactCheck.Core.Semantics;
using FactCheck.Core.Speakers;

namespace FactCheck.Core.Verification;

/// <summary>
/// VerifyAttribution: resolves the claimed speaker, gathers candidate claims by their words (the shingle index) and
/// by their meaning (the vector index of <see cref="ISemanticSearch"/>), never by a scan, gives every candidate its
/// cosine to the text when it has a vector (shingle candidates too), adds the relations reviewers confirmed, and
/// decides with <see cref="VerificationDecision"/>. An empty speaker asks "who said this?".
/// </summary>
public sealed class AttributionVerifier(
    IClaimSearch search, IClaimStore store, IClaimRelationStore relations, SpeakerDirectory speakers, ISemanticSearch semantics,
    MatchThresholds thresholds)
{
    public const int MaxTextLength = 5_000;
    public const int DefaultMatches = 10;
    public const int MaxMatches = 50;
    // Candidates scored precisely. The index ranks by shared shingles, weighted by rarity, so true matches are at
    // the top; precise scoring costs ~0.1-0.25 ms per 30-word candidate, so the pool bounds the CPU a verification
    // can take.
    private const int CandidatePool = 50;
    /// <summary>Claims nearest by meaning taken as candidates (the evaluation's in-process verifier takes as many).</summary>
    public const int VectorCandidates = 10;
    // A free-text name must resolve at least this well to count as a claimed speaker.
    public const double MinimumResolutionScore = 0.5;

    /// <param name="Claimed">Who the request named, and the speaker that resolved to (if any).</param>
    /// <param name="Explanation">The verdict and its reason in a sentence.</param>
    public sealed record Outcome(VerificationResult Result, ClaimedSpeaker Claimed, double ResolutionScore, string Explanation);

    public async Task<Outcome> VerifyAsync(string text, string speaker, DateOnly? saidOn, int maxMatches, CancellationToken cancellationToken)
    {
        var v = new ViolationCollector();
        v.Required("text", text, MaxTextLength);
        v.MaxLength("speaker", speaker, Limits.QueryLength);
        if (maxMatches < 0) v.Add("max_matches", "must not be negative");
        v.ThrowIfAny();
        if (QuoteText.Words(text).Count == 0) throw new InvalidArgumentException("text", "must contain at least one word");
        var limit = maxMatches == 0 ? DefaultMatches : Math.Min(maxMatches, MaxMatches);

        // Independent look-ups: resolve the speaker and embed the text while the shingle index finds candidates.
        var resolving = ResolveAsync(speaker.Trim(), saidOn, cancellationToken);
        var finding = search.FindClaimsByShinglesAsync(QuoteShingles.For(text), CandidatePool, cancellationToken);
        var embedding = semantics.EmbedAsync(text, cancellationToken).AsTask();
        await Task.WhenAll(resolving, finding, embedding);
        var (claimed, score) = await resolving;
        var vector = await embedding;
        // Neighbours below the relatedness cosine can be nothing but unrelated, unless they share words, and then the
        // shingle index found them.
        var nearest = vector is null ? [] : semantics.Nearest(vector, VectorCandidates).Where(h => h.Cosine >= thresholds.Related).ToList();
        var claims = await store.GetKeyedClaimsAsync([.. (await finding).Select(c => c.ClaimId)], [.. nearest.Select(h => h.ClaimKey)], cancellationToken);

        var cosines = nearest.ToDictionary(h => h.ClaimKey, h => (double)h.Cosine);
        var candidates = claims.Select(c => new Candidate(c.Item,
            cosines.TryGetValue(c.Sequence, out var cosine) ? cosine : vector is null ? null : semantics.Cosine(c.Sequence, vector)));
        var links = (await relations.ConfirmedRelationsAsync([.. claims.Select(c => c.Sequence)], cancellationToken))
            .Select(r => ConfirmedLink.Of(r.Relation, r.ViaClaimId, r.Other.Item)).OfType<ConfirmedLink>().ToList();
        var query = new VerificationQuery(text, claimed, saidOn);
        var result = VerificationDecision.Decide(query, candidates, thresholds, links);

        var named = await speakers.GetManyAsync([.. result.Named.Select(p => p.SpeakerId).OfType<string>().Distinct()], cancellationToken);
        var explanation = VerdictExplanation.Explain(result, claimed, named.ToDictionary(s => s.Id, s => s.DisplayName));
        return new Outcome(result with { Matches = [.. result.Matches.Take(limit)] }, claimed, score, explanation);
    }

    private async Task<(ClaimedSpeaker Claimed, double Score)> ResolveAsync(string speaker, DateOnly? saidOn, CancellationToken cancellationToken)
    {
        if (speaker.Length == 0) return (ClaimedSpeaker.Nobody, 0);
        if (speaker.StartsWith(ResourceNames.SpeakersCollection + "/", StringComparison.Ordinal))
        {
            var id = ResourceNames.ParseId(ResourceNames.SpeakersCollection, speaker, "speaker");
            return (new ClaimedSpeaker(speaker, await speakers.GetAsync(id, cancellationToken)), 1.0);
        }
        var best = (await speakers.ResolveAsync(speaker, 1, saidOn, cancellationToken)).FirstOrDefault();
        return best.Match is { Score: >= MinimumResolutionScore }
            ? (new ClaimedSpeaker(speaker, best.Speaker), best.Match.Score)
            : (new ClaimedSpeaker(speaker, null), best.Match?.Score ?? 0);
    }
}
