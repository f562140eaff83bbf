using FactCheck.Core.Events;

namespace FactCheck.Caching;

/// <summary>
/// The dependency tags cached answers are filed under (<see cref="ResponseKeys"/>), and which tags each domain
/// event bumps: every answer that a change could alter must be filed under a tag the change bumps.
/// </summary>
internal static class CacheTags
{
    /// <summary>Every answer that depends on the set of speakers or their names (name resolution).</summary>
    public const string AllSpeakers = "speakers";

    /// <summary>Attribution verdicts: any claim or speaker change can change any of them, and so can a claim's vector
    /// entering or leaving an instance's semantic index, and a reviewer's decision on a relation.</summary>
    public const string Verdicts = "verdicts";

    public static string Speaker(string speakerId) => $"speaker:{speakerId}";
    public static string Claim(string claimId) => $"claim:{claimId}";

    /// <summary>Listings of one speaker's claims.</summary>
    public static string SpeakerClaims(string speakerId) => $"speaker-claims:{speakerId}";

    public static IReadOnlyCollection<string> BumpedBy(IEnumerable<DomainEvent> events)
    {
        var tags = new HashSet<string>();
        foreach (var change in events)
        {
            switch (change)
            {
                case ClaimChanged claim:
                    AddClaimChange(tags, claim.Before, claim.After);
                    break;
                case ReviewAdded review: // sets the claim's verification status
                    AddClaimChange(tags, review.ClaimBefore, review.ClaimAfter);
                    break;
                case SpeakerChanged speaker:
                    tags.UnionWith([Speaker(speaker.SpeakerId), AllSpeakers, Verdicts]);
                    break;
                case SemanticIndexChanged:
                    // A claim found by meaning now (or no longer): a NOT_FOUND cached before must not outlive it.
                    tags.Add(Verdicts);
                    break;
                case RelationsChanged relations:
                    // Relations are read from the store, never cached; confirmed ones count in verdicts.
                    if (relations.AffectsVerdicts) tags.Add(Verdicts);
                    break;
                case ApiKeyRevoked:
                    // No cached answer depends on API keys: ApiKeyRegistry drops its own lookups before publishing.
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(events), change, "a domain event with no cache mapping");
            }
        }
        return tags;
    }

    /// <summary>Both speakers' listings are affected when the attribution moved.</summary>
    private static void AddClaimChange(HashSet<string> tags, Core.Claims.Claim? before, Core.Claims.Claim after)
    {
        tags.Add(Claim(after.Id));
        tags.Add(Verdicts);
        if (before?.SpeakerId is { } previous) tags.Add(SpeakerClaims(previous));
        if (after.SpeakerId is { } current) tags.Add(SpeakerClaims(current));
    }
}
