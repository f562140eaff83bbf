using System.Diagnostics.CodeAnalysis;
using FactCheck.Core.Storage;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FactCheck.Caching;

/// <summary>
/// Cache-aside over Redis with an in-process layer in front, and the invalidation side of writes.
///
/// Why no stale read can follow an acknowledged write, even in the classic race (a reader misses, loads the old
/// row, a writer commits and invalidates, then the reader stores the old row): every answer is stored under the
/// generation of its dependency tag that the reader read *before* loading from the store
/// (<c>val:{key}:g{gen}</c>), and a write bumps that generation *after* its commit and before it is acknowledged.
/// A reader that loaded the old row read the generation before the bump, so it can only store under the old
/// generation, which no reader looks up again; a reader that read the new generation loads after the commit.
/// The in-process layer is kept coherent by <see cref="LocalCoherence"/>. A write whose bump cannot reach Redis is
/// handed to <see cref="InvalidationRelay"/>, which delivers it through the database, and answers come from the cache
/// only while the relay says they may.
///
/// Redis is never allowed to fail an RPC: every call is bounded by <see cref="CacheOptions.OperationTimeout"/>,
/// failures fall back to the store, and <see cref="RedisRecovery"/> stops using Redis while it is down and brings
/// the cache back with a new epoch.
/// </summary>
internal sealed class RedisResponseCache : IResponseCache, IAsyncDisposable
{
    private readonly IDatabase database;
    private readonly CacheOptions options;
    private readonly CacheStatistics statistics;
    private readonly RedisRecovery recovery;
    private readonly InvalidationRelay relay;
    private readonly LocalCoherence coherence;
    private readonly LocalResponseCache? local;
    private readonly CoalescedRead<long> publishedSequence;
    private readonly string generationTtlMs;
    private int disposed;

    public RedisResponseCache(IConnectionMultiplexer redis, IInvalidationOutbox outbox, CacheOptions options, CacheStatistics statistics,
        TimeProvider clock, ILogger<RedisResponseCache> logger)
    {
        database = redis.GetDatabase();
        this.options = options;
        this.statistics = statistics;
        generationTtlMs = ((long)options.GenerationTtl.TotalMilliseconds).ToString();
        coherence = new LocalCoherence(maxTags: options.LocalMaxTags, messageWait: options.OperationTimeout);
        if (options.LocalEnabled) local = new LocalResponseCache(options.LocalMaxBytes, coherence);
        publishedSequence = new CoalescedRead<long>(async () =>
            (long)await database.StringGetAsync(RedisScripts.SequenceKey).WaitAsync(options.OperationTimeout));
        recovery = new RedisRecovery(redis, options, statistics, coherence, logger);
        relay = new InvalidationRelay(outbox, tags => RedisScripts.InvalidateAsync(database, tags, generationTtlMs, options.OperationTimeout),
            () => RedisScripts.NewEpochAsync(database, options.OperationTimeout), options, statistics, clock, logger);
        statistics.IsDegraded = () => recovery.IsOpen || !relay.IsTrusted;
    }

    /// <summary>Subscribes to invalidations and starts the relay; call once before serving.</summary>
    public async Task StartAsync()
    {
        await recovery.StartAsync();
        await relay.StartAsync();
    }

    public async Task<IReadOnlyList<T>> GetOrLoadManyAsync<T>(IReadOnlyList<CacheKey> keys, MessageParser<T> parser,
        Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyList<T>>> loadMissing, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        if (!MayUseCache)
        {
            statistics.Bypassed(keys.Count);
            return await loadMissing(Enumerable.Range(0, keys.Count).ToList(), cancellationToken);
        }

        var outages = recovery.Outages;
        var answers = new T[keys.Count];
        var pending = Enumerable.Range(0, keys.Count).ToList();
        LocalCoherence.Capture filled = default;
        try
        {
            filled = await LocalBarrierAsync(cancellationToken);
            var hits = pending.RemoveAll(at => TryGetLocal(keys[at], out answers[at]!));
            if (hits > 0) statistics.LocalHit(hits);
            if (pending.Count == 0) return answers;
        }
        catch (Exception e) when (RedisRecovery.IsRedisFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            recovery.Failed(e);
            return await LoadAndStoreAsync(keys, answers, pending, null, filled, outages, loadMissing, cancellationToken);
        }
        return await RedisThenStoreAsync(keys, parser, answers, pending, filled, outages, loadMissing, cancellationToken);
    }

    /// <summary>The same as <see cref="GetOrLoadManyAsync{T}"/> for one key, without its lists and closures: an
    /// in-process hit (the hot path) allocates nothing here.</summary>
    public async Task<T> GetOrLoadAsync<T>(CacheKey key, MessageParser<T> parser, Func<CancellationToken, Task<T>> load,
        CancellationToken cancellationToken) where T : IMessage<T>
    {
        if (!MayUseCache)
        {
            statistics.Bypassed();
            return await load(cancellationToken);
        }

        var outages = recovery.Outages;
        LocalCoherence.Capture filled = default;
        try
        {
            filled = await LocalBarrierAsync(cancellationToken);
            if (TryGetLocal<T>(key, out var hit))
            {
                statistics.LocalHit();
                return hit;
            }
        }
        catch (Exception e) when (RedisRecovery.IsRedisFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            recovery.Failed(e);
            return await load(cancellationToken);
        }
        var answers = (await RedisThenStoreAsync([key], parser, new T[1], [0], filled, outages,
            async (_, ct) => [await load(ct)], cancellationToken));
        return answers[0];
    }

    private bool MayUseCache => !recovery.IsOpen && relay.IsTrusted;

    /// <summary>Looks up what is still pending in Redis, then loads the rest and caches it.</summary>
    private async Task<IReadOnlyList<T>> RedisThenStoreAsync<T>(IReadOnlyList<CacheKey> keys, MessageParser<T> parser, T[] answers,
        List<int> pending, LocalCoherence.Capture filled, long outages,
        Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyList<T>>> loadMissing, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        (string Epoch, List<string> Generations)? cached = null;
        // Only the Redis calls are guarded: a store failure is the store's, not a reason to trip the breaker.
        try
        {
            cached = await RedisLookupAsync(keys, parser, answers, pending, filled, cancellationToken);
            if (pending.Count == 0) return answers;
        }
        catch (Exception e) when (RedisRecovery.IsRedisFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            recovery.Failed(e);
        }
        return await LoadAndStoreAsync(keys, answers, pending, cached, filled, outages, loadMissing, cancellationToken);
    }

    private async Task<IReadOnlyList<T>> LoadAndStoreAsync<T>(IReadOnlyList<CacheKey> keys, T[] answers, List<int> pending,
        (string Epoch, List<string> Generations)? cached, LocalCoherence.Capture filled, long outages,
        Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyList<T>>> loadMissing, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        var loaded = await loadMissing(pending, cancellationToken);
        // Writes made while the breaker was open were not invalidated; what this read loaded may predate them.
        var mayStore = cached is not null && recovery.Outages == outages;
        if (cached is not null) statistics.Miss(pending.Count);
        for (var i = 0; i < pending.Count; i++)
        {
            var at = pending[i];
            answers[at] = loaded[i];
            if (!mayStore) continue;
            // Fire and forget: a late write lands under the generation read before loading, so it is harmless.
            _ = database.StringSetAsync(RedisScripts.ValueKey(cached!.Value.Epoch, keys[at].Key, cached.Value.Generations[i]), loaded[i].ToByteArray(),
                options.TtlFor(keys[at].Kind), flags: CommandFlags.FireAndForget);
            StoreLocal(keys[at], loaded[i], filled);
        }
        return answers;
    }

    /// <summary>The barrier that makes the in-process layer safe to consult (see <see cref="LocalCoherence"/>);
    /// returns the capture to file newly loaded answers under.</summary>
    private async ValueTask<LocalCoherence.Capture> LocalBarrierAsync(CancellationToken cancellationToken)
    {
        if (local is null) return default;
        await coherence.CatchUpAsync(await publishedSequence.NextAsync().WaitAsync(cancellationToken), cancellationToken);
        return coherence.Take();
    }

    private bool TryGetLocal<T>(CacheKey key, [MaybeNullWhen(false)] out T answer)
    {
        answer = default;
        return local is not null && local.TryGet(key, out answer);
    }

    /// <summary>One script call reads the epoch, each tag's generation and each value; removes hits from
    /// <paramref name="pending"/> and returns the generations of what is still pending, in order.</summary>
    private async Task<(string Epoch, List<string> Generations)> RedisLookupAsync<T>(IReadOnlyList<CacheKey> keys, MessageParser<T> parser,
        T[] answers, List<int> pending, LocalCoherence.Capture filled, CancellationToken cancellationToken) where T : IMessage<T>
    {
        var args = new RedisValue[1 + 2 * pending.Count];
        args[0] = RedisScripts.Prefix;
        for (var i = 0; i < pending.Count; i++)
        {
            args[1 + 2 * i] = keys[pending[i]].Tag;
            args[2 + 2 * i] = keys[pending[i]].Key;
        }
        var reply = (RedisResult[])(await database.ScriptEvaluateAsync(RedisScripts.Read, values: args)
            .WaitAsync(options.OperationTimeout, cancellationToken))!;
        recovery.Succeeded();

        var epoch = (string)reply[0]!;
        var stillPending = new List<int>();
        var generations = new List<string>();
        for (var i = 0; i < pending.Count; i++)
        {
            var at = pending[i];
            var value = reply[2 + 2 * i];
            if (value.IsNull)
            {
                stillPending.Add(at);
                generations.Add((string)reply[1 + 2 * i]!);
                continue;
            }
            try
            {
                answers[at] = parser.ParseFrom((byte[])value!);
            }
            catch (InvalidProtocolBufferException)
            {
                // Not a message of this type (corrupt, or written by an incompatible version): a miss.
                stillPending.Add(at);
                generations.Add((string)reply[1 + 2 * i]!);
                continue;
            }
            StoreLocal(keys[at], answers[at], filled);
        }
        if (pending.Count > stillPending.Count) statistics.RedisHit(pending.Count - stillPending.Count);
        pending.Clear();
        pending.AddRange(stillPending);
        return (epoch, generations);
    }

    private void StoreLocal<T>(CacheKey key, T answer, LocalCoherence.Capture filled) where T : IMessage<T> =>
        local?.Set(key, answer, filled, options.TtlFor(key.Kind));

    /// <summary>Called after a committed write, before it is acknowledged. When Redis cannot take the bump, the
    /// relay delivers it through the database, and this returns when the write may be acknowledged (see
    /// <see cref="InvalidationRelay"/>).</summary>
    public async Task InvalidateAsync(IReadOnlyCollection<string> tags)
    {
        if (tags.Count == 0) return;
        coherence.ApplyLocal(tags);
        if (recovery.MayInvalidate)
        {
            try
            {
                await RedisScripts.InvalidateAsync(database, tags, generationTtlMs, options.OperationTimeout);
                statistics.Invalidated(tags.Count);
                return;
            }
            catch (Exception e) when (RedisRecovery.IsRedisFailure(e))
            {
                recovery.InvalidationFailed(e);
            }
        }
        await relay.DeferAsync(tags);
    }

    public async ValueTask DisposeAsync()
    {
        // Registered under several service types, so the container disposes it more than once.
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        await relay.DisposeAsync();
        await recovery.DisposeAsync();
        local?.Dispose();
    }
}
