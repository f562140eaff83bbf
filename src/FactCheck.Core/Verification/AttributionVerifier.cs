using FactCheck.Core.Errors;
using FactCheck.Core.Speakers;
using FactCheck.Core.Storage;
using FactCheck.Core.Validation;

namespace FactCheck.Core.Verification;

/// <summary>
/// VerifyAttribution: resolves the claimed speaker, finds candidate claims through the shingle index (never a
/// scan), scores them precisely and decides the verdict (<see cref="AttributionVerdict"/>).
/// </summary>
public sealed class AttributionVerifier(IClaimSearch search, IClaimStore store, SpeakerDirectory speakers)
{
    public const int MaxTextLength = 5_000;
    public const int DefaultMatches = 10;
    public const int MaxMatches = 50;
    // Candidates scored precisely. The index ranks by shared shingles, weighted by rarity, so true matches are at
    // the top; precise scoring costs ~0.1-0.25 ms per 30-word candidate, so the pool bounds the CPU a verification
    // can take.
    private const int CandidatePool = 50;
    // A free-text name must resolve at least this well to count as a claimed speaker.
    public const double MinimumResolutionScore = 0.5;

    public sealed record Outcome(AttributionResult Result, Speaker? ResolvedSpeaker, double ResolutionScore);

    public async Task<Outcome> VerifyAsync(string text, string speaker, DateOnly? saidOn, int maxMatches, CancellationToken cancellationToken)
    {
        var v = new ViolationCollector();
        v.Required("text", text, MaxTextLength);
        v.Required("speaker", speaker, Limits.QueryLength);
        if (maxMatches < 0) v.Add("max_matches", "must not be negative");
        v.ThrowIfAny();
        if (QuoteText.Words(text).Count == 0) throw new InvalidArgumentException("text", "must contain at least one word");
        var limit = maxMatches == 0 ? DefaultMatches : Math.Min(maxMatches, MaxMatches);

        // Independent lookups: resolve the speaker while the index finds the candidates.
        var resolving = ResolveAsync(speaker, saidOn, cancellationToken);
        var finding = search.FindClaimsByShinglesAsync(QuoteShingles.For(text), CandidatePool, cancellationToken);
        await Task.WhenAll(resolving, finding);
        var (resolved, score) = await resolving;
        var candidates = await finding;
        var claims = await store.GetClaimsAsync(candidates.Select(c => c.ClaimId).ToList(), cancellationToken);
        var result = AttributionVerdict.Verify(text, resolved?.Id, claims, saidOn);
        return new Outcome(result with { Matches = result.Matches.Take(limit).ToList() }, resolved, score);
    }

    private async Task<(Speaker? Speaker, double Score)> ResolveAsync(string speaker, DateOnly? saidOn, CancellationToken cancellationToken)
    {
        if (speaker.StartsWith(ResourceNames.SpeakersCollection + "/", StringComparison.Ordinal))
        {
            var id = ResourceNames.ParseId(ResourceNames.SpeakersCollection, speaker, "speaker");
            return (await speakers.GetAsync(id, cancellationToken), 1.0);
        }
        var best = (await speakers.ResolveAsync(speaker, 1, saidOn, cancellationToken)).FirstOrDefault();
        return best.Match is { Score: >= MinimumResolutionScore } ? (best.Speaker, best.Match.Score) : (null, best.Match?.Score ?? 0);
    }
}
