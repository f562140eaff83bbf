using FactCheck.Core.Caching;
using Google.Protobuf;
using Microsoft.Extensions.Caching.Memory;
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
/// The in-process layer is kept coherent by <see cref="LocalCoherence"/>.
///
/// Redis is never allowed to fail an RPC: every call is bounded by <see cref="CacheOptions.OperationTimeout"/>,
/// failures fall back to the store, and a <see cref="CircuitBreaker"/> stops trying while Redis is down. While it
/// is open, writes cannot invalidate, so closing it again first starts a new epoch, orphaning every entry.
/// </summary>
public sealed class RedisResponseCache : IResponseCache, IChangeFeed, IAsyncDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly IDatabase _database;
    private readonly CacheOptions _options;
    private readonly CacheStatistics _statistics;
    private readonly ILogger _logger;
    private readonly CircuitBreaker _breaker;
    private readonly LocalCoherence _coherence;
    private readonly MemoryCache? _local;
    private readonly CoalescedRead<long> _publishedSequence;
    private readonly string _generationTtlMs;
    private readonly CancellationTokenSource _stopping = new();
    private int _recovering;
    private volatile bool _probing; // recovery under way: writes invalidate again although the breaker is still open
    private long _failedInvalidations;
    private int _disposed;
    private long _outages; // counts breaker openings: a read that spans one must not store what it loaded
    private ChannelMessageQueue? _subscription;

    private sealed record LocalEntry(object Message, string Tag, LocalCoherence.Capture Filled);

    public RedisResponseCache(IConnectionMultiplexer redis, CacheOptions options, CacheStatistics statistics, ILogger<RedisResponseCache> logger)
    {
        _redis = redis;
        _database = redis.GetDatabase();
        _options = options;
        _statistics = statistics;
        _logger = logger;
        _generationTtlMs = ((long)options.GenerationTtl.TotalMilliseconds).ToString();
        _breaker = new CircuitBreaker(options.FailureThreshold);
        _breaker.Opened += OnBreakerOpened;
        statistics.IsDegraded = () => _breaker.IsOpen;
        _coherence = new LocalCoherence(maxTags: 4 * options.LocalMaxEntries, messageWait: options.OperationTimeout);
        if (options.LocalEnabled)
        {
            _local = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.LocalMaxEntries });
            _coherence.Flushed += () => _local.Clear();
        }
        _publishedSequence = new CoalescedRead<long>(async () =>
            (long)await _database.StringGetAsync(RedisScripts.SequenceKey).WaitAsync(_options.OperationTimeout));
        // A lost connection may have lost invalidation messages, and a Redis that restarted from a snapshot has
        // old generations: either way, start a new epoch before trusting the cache again.
        redis.ConnectionFailed += (_, _) => _breaker.Trip();
        redis.ConnectionRestored += (_, _) => _breaker.Trip();
    }

    /// <summary>Subscribes to invalidations; call once before serving. Redis being down now is not an error:
    /// the cache starts degraded and recovers by itself.</summary>
    public async Task StartAsync()
    {
        try
        {
            await EnsureSubscribedAsync();
            if (!_redis.IsConnected) _breaker.Trip();
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            RecordFailure(e);
            Interlocked.Increment(ref _failedInvalidations);
            _breaker.Trip();
        }
    }

    private async Task EnsureSubscribedAsync()
    {
        if (_subscription is not null) return; // the multiplexer re-subscribes by itself after reconnecting
        var queue = await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisScripts.Channel)).WaitAsync(_options.OperationTimeout);
        queue.OnMessage(message => ApplyMessage(message.Message));
        _subscription = queue;
    }

    public async Task<T> GetOrLoadAsync<T>(CacheKey key, MessageParser<T> parser, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        var answers = await GetOrLoadManyAsync([key], parser, async (_, ct) => [await load(ct)], cancellationToken);
        return answers[0];
    }

    public async Task<IReadOnlyList<T>> GetOrLoadManyAsync<T>(IReadOnlyList<CacheKey> keys, MessageParser<T> parser,
        Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyList<T>>> loadMissing, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        if (_breaker.IsOpen)
        {
            _statistics.Bypassed(keys.Count);
            return await loadMissing(Enumerable.Range(0, keys.Count).ToList(), cancellationToken);
        }

        var outages = Interlocked.Read(ref _outages);
        var answers = new T[keys.Count];
        var pending = Enumerable.Range(0, keys.Count).ToList();
        LocalCoherence.Capture filled = default;
        (string Epoch, List<string> Generations)? cached = null;
        // Only the Redis calls are guarded: a store failure is the store's, not a reason to trip the breaker.
        try
        {
            filled = await LocalLookupAsync(keys, answers, pending, cancellationToken);
            if (pending.Count == 0) return answers;
            cached = await RedisLookupAsync(keys, parser, answers, pending, filled, cancellationToken);
            if (pending.Count == 0) return answers;
        }
        catch (Exception e) when (IsRedisFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            RecordFailure(e);
        }

        var loaded = await loadMissing(pending, cancellationToken);
        // Writes made while the breaker was open were not invalidated; what this read loaded may predate them.
        var mayStore = cached is not null && Interlocked.Read(ref _outages) == outages;
        if (cached is not null) _statistics.Miss(pending.Count);
        for (var i = 0; i < pending.Count; i++)
        {
            var at = pending[i];
            answers[at] = loaded[i];
            if (!mayStore) continue;
            // Fire and forget: a late write lands under the generation read before loading, so it is harmless.
            _ = _database.StringSetAsync(RedisScripts.ValueKey(cached!.Value.Epoch, keys[at].Key, cached.Value.Generations[i]), loaded[i].ToByteArray(),
                _options.TtlFor(keys[at].Kind), flags: CommandFlags.FireAndForget);
            StoreLocal(keys[at], loaded[i], filled);
        }
        return answers;
    }

    /// <summary>Serves what the in-process layer has, after the barrier that makes it safe; removes hits from
    /// <paramref name="pending"/>. Returns the capture to file newly loaded answers under.</summary>
    private async Task<LocalCoherence.Capture> LocalLookupAsync<T>(IReadOnlyList<CacheKey> keys, T[] answers, List<int> pending, CancellationToken cancellationToken)
    {
        if (_local is null) return default;
        await _coherence.CatchUpAsync(await _publishedSequence.NextAsync().WaitAsync(cancellationToken), cancellationToken);
        var filled = _coherence.Take();
        var hits = pending.RemoveAll(at =>
        {
            if (!_local.TryGetValue(keys[at].Key, out LocalEntry? entry) || entry is null || entry.Tag != keys[at].Tag || !_coherence.IsValid(entry.Filled, entry.Tag))
                return false;
            answers[at] = (T)entry.Message;
            return true;
        });
        if (hits > 0) _statistics.LocalHit(hits);
        return filled;
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
        var reply = (RedisResult[])(await _database.ScriptEvaluateAsync(RedisScripts.Read, values: args)
            .WaitAsync(_options.OperationTimeout, cancellationToken))!;
        _breaker.RecordSuccess();

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
        if (pending.Count > stillPending.Count) _statistics.RedisHit(pending.Count - stillPending.Count);
        pending.Clear();
        pending.AddRange(stillPending);
        return (epoch, generations);
    }

    private void StoreLocal<T>(CacheKey key, T answer, LocalCoherence.Capture filled) where T : IMessage<T>
    {
        if (_local is null) return;
        _local.Set(key.Key, new LocalEntry(answer, key.Tag, filled), new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = _options.TtlFor(key.Kind),
        });
    }

    /// <summary>Called after a committed write, before it is acknowledged. Never throws.</summary>
    public async Task PublishAsync(IReadOnlyCollection<string> tags)
    {
        if (tags.Count == 0) return;
        _coherence.ApplyLocal(tags);
        if (_breaker.IsOpen && !_probing) return; // recovery starts a new epoch, which covers this write
        var args = new RedisValue[2 + tags.Count];
        args[0] = RedisScripts.Prefix;
        args[1] = _generationTtlMs;
        var i = 2;
        foreach (var tag in tags) args[i++] = tag;
        try
        {
            await _database.ScriptEvaluateAsync(RedisScripts.Invalidate, values: args).WaitAsync(_options.OperationTimeout);
            _statistics.Invalidated(tags.Count);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            // The write is committed but Redis may still hold answers that predate it: stop using the cache until
            // a new epoch has orphaned them all.
            RecordFailure(e);
            Interlocked.Increment(ref _failedInvalidations);
            _breaker.Trip();
        }
    }

    private void ApplyMessage(RedisValue message)
    {
        var parts = ((string)message!).Split('\n');
        if (long.TryParse(parts[0], out var sequence)) _coherence.Apply(sequence, parts[1..]);
    }

    private void RecordFailure(Exception e)
    {
        _statistics.Error();
        _logger.LogWarning("Redis call failed, answering from the store: {Error}", e.Message);
        _breaker.RecordFailure();
    }

    private void OnBreakerOpened()
    {
        Interlocked.Increment(ref _outages);
        _coherence.Flush();
        _logger.LogWarning("Cache degraded: Redis unavailable; answering from the store until it is back");
        if (Interlocked.Exchange(ref _recovering, 1) == 0) _ = RecoverAsync();
    }

    /// <summary>Until Redis answers: wait, then start a new epoch (orphaning anything a missed invalidation left
    /// stale) and close the breaker.</summary>
    private async Task RecoverAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.RetryInterval, _stopping.Token);
                // From here writes invalidate again, so none can slip between the new epoch and closing the breaker:
                // a write committed earlier is covered by the epoch, a later one by its own invalidation.
                _probing = true;
                var failedBefore = Interlocked.Read(ref _failedInvalidations);
                await EnsureSubscribedAsync();
                await _database.ScriptEvaluateAsync(RedisScripts.NewEpoch, values: [RedisScripts.Prefix]).WaitAsync(_options.OperationTimeout);
                if (Interlocked.Read(ref _failedInvalidations) != failedBefore) continue; // a write was missed meanwhile
                _coherence.Flush();
                _breaker.Close();
                _probing = false;
                _logger.LogInformation("Cache recovered: Redis is back, new epoch started");
                Volatile.Write(ref _recovering, 0);
                // Tripped again between closing and now: that opening found recovery still running, so go on.
                if (!_breaker.IsOpen || Interlocked.Exchange(ref _recovering, 1) != 0) return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever went wrong, keep trying: giving up would leave the cache off until a restart.
                _probing = false; // Redis still away: don't make writes wait on it
                _statistics.Error();
                if (!IsRedisFailure(e)) _logger.LogError(e, "Cache recovery failed; retrying");
            }
        }
        _probing = false;
    }

    private static bool IsRedisFailure(Exception e) => e is RedisException or TimeoutException or ObjectDisposedException;

    public async ValueTask DisposeAsync()
    {
        // Registered under several service types, so the container disposes it more than once.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync();
        _local?.Dispose();
        _stopping.Dispose();
    }
}
