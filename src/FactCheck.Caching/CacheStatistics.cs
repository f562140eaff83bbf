using System.Diagnostics.Metrics;

namespace FactCheck.Caching;

/// <summary>Hit, miss, error and invalidation counts: a Meter for OpenTelemetry and a snapshot for benchmarks.</summary>
public sealed class CacheStatistics
{
    public const string MeterName = "FactCheck.Cache";

    private long localHits, redisHits, misses, errors, invalidations, bypassed;
    private readonly Counter<long> hits, missCounter, errorCounter, invalidationCounter, bypassCounter;

    public CacheStatistics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        hits = meter.CreateCounter<long>("factcheck.cache.hits", description: "Answers served from the cache, by level");
        missCounter = meter.CreateCounter<long>("factcheck.cache.misses", description: "Answers loaded from the store and cached");
        errorCounter = meter.CreateCounter<long>("factcheck.cache.errors", description: "Redis calls that failed or timed out");
        invalidationCounter = meter.CreateCounter<long>("factcheck.cache.invalidations", description: "Dependency tags bumped by writes");
        bypassCounter = meter.CreateCounter<long>("factcheck.cache.bypassed", description: "Reads answered by the store while the breaker was open");
    }

    /// <summary>Set by the cache: true while Redis is unavailable and reads go to the store.</summary>
    internal Func<bool> IsDegraded { get; set; } = () => false;

    internal void LocalHit(int n = 1) { Interlocked.Add(ref localHits, n); hits.Add(n, new KeyValuePair<string, object?>("level", "local")); }
    internal void RedisHit(int n = 1) { Interlocked.Add(ref redisHits, n); hits.Add(n, new KeyValuePair<string, object?>("level", "redis")); }
    internal void Miss(int n = 1) { Interlocked.Add(ref misses, n); missCounter.Add(n); }
    internal void Error() { Interlocked.Increment(ref errors); errorCounter.Add(1); }
    internal void Invalidated(int tags) { Interlocked.Add(ref invalidations, tags); invalidationCounter.Add(tags); }
    internal void Bypassed(int n = 1) { Interlocked.Add(ref bypassed, n); bypassCounter.Add(n); }

    public CacheSnapshot Snapshot() => new(
        Interlocked.Read(ref localHits), Interlocked.Read(ref redisHits), Interlocked.Read(ref misses),
        Interlocked.Read(ref errors), Interlocked.Read(ref invalidations), Interlocked.Read(ref bypassed), IsDegraded());
}

public sealed record CacheSnapshot(long LocalHits, long RedisHits, long Misses, long Errors, long Invalidations, long Bypassed, bool Degraded)
{
    public long Hits => LocalHits + RedisHits;
}
