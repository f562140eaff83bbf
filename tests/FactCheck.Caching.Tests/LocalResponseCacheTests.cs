using FactCheck.V1;

namespace FactCheck.Caching.Tests;

public class LocalResponseCacheTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);

    private static LocalCoherence Baselined()
    {
        var coherence = new LocalCoherence(maxTags: 100, messageWait: TimeSpan.FromMinutes(10));
        Assert.True(coherence.CatchUpAsync(0, CancellationToken.None).IsCompletedSuccessfully);
        return coherence;
    }

    private static CacheKey Key(int id) => ResponseKeys.Claim(id.ToString("D8"));

    private static Claim NewClaim(int id) => new()
    {
        Name = $"claims/{id:D8}",
        Text = string.Concat(Enumerable.Repeat("We will not raise taxes this year. ", 8)),
        LanguageCode = "en",
    };

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task EntriesAreBoundedByTheirBytesNotByTheirNumber() => Task.Run(() =>
    {
        var coherence = Baselined();
        var oneClaim = LocalResponseCache.CostOf(Key(0), NewClaim(0));
        using var cache = new LocalResponseCache(maxBytes: 10 * oneClaim, coherence);

        for (var id = 0; id < 40; id++) cache.Set(Key(id), NewClaim(id), coherence.Take(), Ttl);

        // Counted one apiece, the 40 entries would all fit a bound of 10 claims' bytes.
        Assert.InRange(cache.Count, 1, 10);
        // Which ones stay is MemoryCache's choice: past the bound it refuses new entries and compacts in the
        // background, least recently used first, so an entry found once may be gone the next time it is looked up.
        // Each one found is served as stored.
        var kept = new List<int>();
        for (var id = 0; id < 40; id++)
        {
            if (!cache.TryGet(Key(id), out Claim? claim)) continue;
            Assert.Equal(NewClaim(id), claim);
            kept.Add(id);
        }
        Assert.NotEmpty(kept);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task AnAnswerLargerThanTheWholeBoundIsNotKept() => Task.Run(() =>
    {
        var coherence = Baselined();
        using var cache = new LocalResponseCache(maxBytes: 4 * LocalResponseCache.CostOf(Key(0), NewClaim(0)), coherence);
        var page = new ListClaimsResponse { Claims = { Enumerable.Range(0, 50).Select(NewClaim) } };
        var key = ResponseKeys.SpeakerClaimsFirstPage("00000001", 50);

        cache.Set(key, page, coherence.Take(), Ttl);

        Assert.False(cache.TryGet(key, out ListClaimsResponse? _));
        Assert.Equal(0, cache.Count);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task AnEntryCostsItsHeapBytesWhichGrowWithItsSerializedSize() => Task.Run(() =>
    {
        var small = NewClaim(0);
        var large = NewClaim(0);
        large.Context = new string('x', 1000);

        var smallCost = LocalResponseCache.CostOf(Key(0), small);
        Assert.True(smallCost > LocalResponseCache.EntryOverheadBytes + small.CalculateSize());
        Assert.Equal(LocalResponseCache.HeapBytesPerSerializedByte * (large.CalculateSize() - small.CalculateSize()),
            LocalResponseCache.CostOf(Key(0), large) - smallCost, tolerance: 1);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task AFlushDropsEveryEntry() => Task.Run(() =>
    {
        var coherence = Baselined();
        using var cache = new LocalResponseCache(maxBytes: 1 << 20, coherence);
        cache.Set(Key(1), NewClaim(1), coherence.Take(), Ttl);
        Assert.Equal(1, cache.Count);

        coherence.Flush();

        Assert.Equal(0, cache.Count);
        Assert.False(cache.TryGet(Key(1), out Claim? _));
    });
}
