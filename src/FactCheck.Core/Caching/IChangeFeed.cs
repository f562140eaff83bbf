namespace FactCheck.Core.Caching;

/// <summary>
/// Told after every committed write which cached answers it may have changed, named by dependency tags
/// (<see cref="CacheTags"/>). The write is acknowledged to the client only after this returns, which is what lets
/// the cache promise that a write is never followed by a stale read. Implementations never throw: a cache that
/// cannot be reached must not fail a write that is already committed.
/// </summary>
public interface IChangeFeed
{
    Task PublishAsync(IReadOnlyCollection<string> tags);
}

/// <summary>For a server with no cache: nothing to invalidate.</summary>
public sealed class NoChangeFeed : IChangeFeed
{
    public Task PublishAsync(IReadOnlyCollection<string> tags) => Task.CompletedTask;
}

/// <summary>The dependency tags cached answers are filed under; a write bumps every tag it affects.</summary>
public static class CacheTags
{
    /// <summary>Every answer that depends on the set of speakers or their names (name resolution).</summary>
    public const string AllSpeakers = "speakers";

    public static string Speaker(string speakerId) => $"speaker:{speakerId}";
    public static string Claim(string claimId) => $"claim:{claimId}";
    /// <summary>Attribution verdicts: any claim or speaker change can change any of them.</summary>
    public const string Verdicts = "verdicts";

    /// <summary>Listings of one speaker's claims.</summary>
    public static string SpeakerClaims(string speakerId) => $"speaker-claims:{speakerId}";

    public static IReadOnlyCollection<string> ForSpeakerChange(string speakerId) => [Speaker(speakerId), AllSpeakers, Verdicts];

    /// <summary>A claim changed from <paramref name="before"/> (null when created) to <paramref name="after"/>;
    /// both speakers' listings are affected when the attribution moved.</summary>
    public static IReadOnlyCollection<string> ForClaimChange(Claims.Claim? before, Claims.Claim after)
    {
        var tags = new HashSet<string> { Claim(after.Id), Verdicts };
        if (before?.SpeakerId is { } previous) tags.Add(SpeakerClaims(previous));
        if (after.SpeakerId is { } current) tags.Add(SpeakerClaims(current));
        return tags;
    }
}
