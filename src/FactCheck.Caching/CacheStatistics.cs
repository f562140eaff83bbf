using System.Diagnostics.Metrics;

namespace FactCheck.Caching;

/// <summary>Hit, miss, error and invalidation counts: a Meter for OpenTelemetry and a snapshot for benchmarks.</summary>
public sealed class CacheStatistics
{
    public const string MeterName = "FactCheck.Cache";

    private long _localHits, _redisHits, _misses, _errors, _invalidations, _bypassed;
    private readonly Counter<long> _hits, _missCounter, _errorCounter, _invalidationCounter, _bypassCounter;

    public CacheStatistics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _hits = meter.CreateCounter<long>("factcheck.cache.hits", description: "Answers served from the cache, by level");
        _missCounter = meter.CreateCounter<long>("factcheck.cache.misses", description: "Answers loaded from the store and cached");
        _errorCounter = meter.CreateCounter<long>("factcheck.cache.errors", description: "Redis calls that failed or timed out");
        _invalidationCounter = meter.CreateCounter<long>("factcheck.cache.invalidations", description: "Dependency tags bumped by writes");
        _bypassCounter = meter.CreateCounter<long>("factcheck.cache.bypassed", description: "Reads answered by the store while the breaker was open");
    }

    /// <summary>Set by the cache: true while Redis is unavailable and reads go to the store.</summary>
    internal Func<bool> IsDegraded { get; set; } = () => false;

    internal void LocalHit(int n = 1) { Interlocked.Add(ref _localHits, n); _hits.Add(n, new KeyValuePair<string, object?>("level", "local")); }
    internal void RedisHit(int n = 1) { Interlocked.Add(ref _redisHits, n); _hits.Add(n, new KeyValuePair<string, object?>("level", "redis")); }
    internal void Miss(int n = 1) { Interlocked.Add(ref _misses, n); _missCounter.Add(n); }
    internal void Error() { Interlocked.Increment(ref _errors); _errorCounter.Add(1); }
    internal void Invalidated(int tags) { Interlocked.Add(ref _invalidations, tags); _invalidationCounter.Add(tags); }
    internal void Bypassed(int n = 1) { Interlocked.Add(ref _bypassed, n); _bypassCounter.Add(n); }

    public CacheSnapshot Snapshot() => new(
        Interlocked.Read(ref _localHits), Interlocked.Read(ref _redisHits), Interlocked.Read(ref _misses),
        Interlocked.Read(ref _errors), Interlocked.Read(ref _invalidations), Interlocked.Read(ref _bypassed), IsDegraded());
}

public sealed record CacheSnapshot(long LocalHits, long RedisHits, long Misses, long Errors, long Invalidations, long Bypassed, bool Degraded)
{
    public long Hits => LocalHits + RedisHits;
}
