using System.Diagnostics.Metrics;

namespace FactCheck.Caching;

/// <summary>Hit, miss, error and invalidation counts: a Meter for OpenTelemetry and a snapshot for benchmarks.</summary>
public sealed class CacheStatistics
{
    public const string MeterName = "FactCheck.Cache";

    private long localHits, redisHits, misses, errors, invalidations, bypassed, deferred, relayed;
    private readonly Counter<long> hits, missCounter, errorCounter, invalidationCounter, bypassCounter, deferCounter, relayCounter;

    public CacheStatistics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        hits = meter.CreateCounter<long>("factcheck.cache.hits", description: "Answers served from the cache, by level");
        missCounter = meter.CreateCounter<long>("factcheck.cache.misses", description: "Answers loaded from the store and cached");
        errorCounter = meter.CreateCounter<long>("factcheck.cache.errors", description: "Redis calls that failed or timed out");
        invalidationCounter = meter.CreateCounter<long>("factcheck.cache.invalidations", description: "Dependency tags bumped by writes");
        bypassCounter = meter.CreateCounter<long>("factcheck.cache.bypassed", description: "Reads answered by the store while the cache could not be trusted");
        deferCounter = meter.CreateCounter<long>("factcheck.cache.deferred", description: "Writes whose invalidation went through the database outbox");
        relayCounter = meter.CreateCounter<long>("factcheck.cache.relayed", description: "Outbox records delivered to Redis by this instance");
    }

    /// <summary>Set by the cache: true while reads go to the store (Redis unavailable, or the relay behind).</summary>
    internal Func<bool> IsDegraded { get; set; } = () => false;

    internal void LocalHit(int n = 1) { Interlocked.Add(ref localHits, n); hits.Add(n, new KeyValuePair<string, object?>("level", "local")); }
    internal void RedisHit(int n = 1) { Interlocked.Add(ref redisHits, n); hits.Add(n, new KeyValuePair<string, object?>("level", "redis")); }
    internal void Miss(int n = 1) { Interlocked.Add(ref misses, n); missCounter.Add(n); }
    internal void Error() { Interlocked.Increment(ref errors); errorCounter.Add(1); }
    internal void Invalidated(int tags) { Interlocked.Add(ref invalidations, tags); invalidationCounter.Add(tags); }
    internal void Bypassed(int n = 1) { Interlocked.Add(ref bypassed, n); bypassCounter.Add(n); }
    internal void Deferred() { Interlocked.Increment(ref deferred); deferCounter.Add(1); }
    internal void Relayed(int n) { Interlocked.Add(ref relayed, n); relayCounter.Add(n); }

    public CacheSnapshot Snapshot() => new(
        Interlocked.Read(ref localHits), Interlocked.Read(ref redisHits), Interlocked.Read(ref misses),
        Interlocked.Read(ref errors), Interlocked.Read(ref invalidations), Interlocked.Read(ref bypassed), Interlocked.Read(ref deferred),
        Interlocked.Read(ref relayed), IsDegraded());
}

public sealed record CacheSnapshot(long LocalHits, long RedisHits, long Misses, long Errors, long Invalidations, long Bypassed, long Deferred,
    long Relayed, bool Degraded)
{
    public long Hits => LocalHits + RedisHits;
}
