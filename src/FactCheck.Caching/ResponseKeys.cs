using System.Security.Cryptography;
using Google.Protobuf;

namespace FactCheck.Caching;

/// <summary>One cached answer: its key, the dependency tag a write bumps to invalidate it, and its kind (TTL).</summary>
internal readonly record struct CacheKey(string Key, string Tag, CacheKind Kind);

/// <summary>Which read answers are cached, under which key, invalidated by which tag (<see cref="CacheTags"/>).</summary>
internal static class ResponseKeys
{
    public static CacheKey Claim(string claimId) => new($"claim:{claimId}", CacheTags.Claim(claimId), CacheKind.Claim);

    public static CacheKey Speaker(string speakerId) => new($"speaker:{speakerId}", CacheTags.Speaker(speakerId), CacheKind.Speaker);

    /// <summary>The first page of a speaker's claims, the lookup tools repeat most; deeper pages are not cached.</summary>
    public static CacheKey SpeakerClaimsFirstPage(string speakerId, int pageSize) =>
        new($"speaker-claims:{speakerId}:{pageSize}", CacheTags.SpeakerClaims(speakerId), CacheKind.ClaimList);

    /// <summary>Any speaker write can change any resolution, so all share one tag.</summary>
    public static CacheKey Resolution(IMessage request) => new($"resolve:{Digest(request)}", CacheTags.AllSpeakers, CacheKind.Resolution);

    /// <summary>Any claim or speaker write can change any verdict, so all share one tag.</summary>
    public static CacheKey Verdict(IMessage request) => new($"verify:{Digest(request)}", CacheTags.Verdicts, CacheKind.Verdict);

    private static string Digest(IMessage request) => Convert.ToHexStringLower(SHA256.HashData(request.ToByteArray()));
}
