namespace FactCheck.Caching;

/// <summary>The <c>Cache</c> configuration section. Caching is on when <c>ConnectionStrings:Redis</c> is set.</summary>
public sealed class CacheOptions
{
    public TimeSpan ClaimTtl { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan SpeakerTtl { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan ClaimListTtl { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan ResolutionTtl { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan VerdictTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Bound on every Redis call; past it the call counts as a failure and the store answers.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Consecutive Redis failures that open the circuit breaker.</summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>How long an open breaker waits before trying Redis again.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long after the start of its last complete relay pass an instance may answer from its cache; also
    /// what a write whose invalidation could not reach Redis waits at most before it is acknowledged
    /// (<see cref="InvalidationRelay"/>). The relay reads the database every eighth of it.</summary>
    public TimeSpan TrustWindow { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a committed write keeps trying to hand its invalidation to Redis or the database before it
    /// gives up and answers UNAVAILABLE (both down at once).</summary>
    public TimeSpan DeferralDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The in-process layer in front of Redis: serves hits without a Redis round trip per request.</summary>
    public bool LocalEnabled { get; set; } = true;
    public int LocalMaxEntries { get; set; } = 100_000;

    internal TimeSpan TtlFor(CacheKind kind) => kind switch
    {
        CacheKind.Claim => ClaimTtl,
        CacheKind.Speaker => SpeakerTtl,
        CacheKind.ClaimList => ClaimListTtl,
        CacheKind.Resolution => ResolutionTtl,
        CacheKind.Verdict => VerdictTtl,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Generation counters must outlive every value filed under them (see <see cref="RedisResponseCache"/>).</summary>
    public TimeSpan GenerationTtl => TimeSpan.FromTicks(Math.Max(TimeSpan.FromDays(1).Ticks,
        2 * new[] { ClaimTtl, SpeakerTtl, ClaimListTtl, ResolutionTtl, VerdictTtl }.Max().Ticks));
}

/// <summary>What a cached answer is, which sets how long it lives.</summary>
internal enum CacheKind { Claim, Speaker, ClaimList, Resolution, Verdict }
