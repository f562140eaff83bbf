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

    /// <summary>The in-process layer's bound, in the heap bytes its entries hold (<see cref="LocalResponseCache.CostOf"/>).
    /// 32 MiB keeps it a tenth of the 300 MB serving budget: about 20,000 claims or 400 first pages of 50 claims;
    /// what it cannot hold is one Redis round trip away.</summary>
    public long LocalMaxBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Invalidated tags the coherence layer remembers before it flushes the local layer instead
    /// (<see cref="LocalCoherence"/>): their stamps may take a quarter of the layer's byte bound (65,536 tags at
    /// 32 MiB), and never fewer than 1,024 so that a small layer is not flushed by every burst of writes.</summary>
    internal int LocalMaxTags => (int)Math.Clamp(LocalMaxBytes / 4 / TagStampBytes, 1_024, int.MaxValue);

    /// <summary>One remembered tag: a ConcurrentDictionary node and its stamp (~48 bytes) and a tag string of ~30
    /// characters (~84 bytes).</summary>
    private const long TagStampBytes = 128;

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
