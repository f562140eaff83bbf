using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FactCheck.Caching;

/// <summary>
/// Decides whether Redis may be used, and brings the cache back after an outage.
///
/// A <see cref="CircuitBreaker"/> opens after consecutive Redis failures; it opens at once when the connection
/// drops or comes back (invalidation messages may have been lost, and a Redis restarted from a snapshot holds old
/// generations) and when a committed write could not invalidate. While it is open, reads bypass Redis and writes
/// cannot invalidate, so Redis may hold answers older than acknowledged writes: recovery closes the breaker only
/// after starting a new cache epoch, which orphans every entry at once.
/// </summary>
internal sealed class RedisRecovery : IAsyncDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly IDatabase _database;
    private readonly CacheOptions _options;
    private readonly CacheStatistics _statistics;
    private readonly LocalCoherence _coherence;
    private readonly ILogger _logger;
    private readonly CircuitBreaker _breaker;
    private readonly CancellationTokenSource _stopping = new();
    private int _recovering;
    private volatile bool _probing; // recovery under way: writes invalidate again although the breaker is still open
    private long _failedInvalidations;
    private long _outages;
    private ChannelMessageQueue? _subscription;

    public RedisRecovery(IConnectionMultiplexer redis, CacheOptions options, CacheStatistics statistics, LocalCoherence coherence, ILogger logger)
    {
        _redis = redis;
        _database = redis.GetDatabase();
        _options = options;
        _statistics = statistics;
        _coherence = coherence;
        _logger = logger;
        _breaker = new CircuitBreaker(options.FailureThreshold);
        _breaker.Opened += OnBreakerOpened;
        statistics.IsDegraded = () => _breaker.IsOpen;
        redis.ConnectionFailed += (_, _) => _breaker.Trip();
        redis.ConnectionRestored += (_, _) => _breaker.Trip();
    }

    /// <summary>True while reads must not touch Redis.</summary>
    public bool IsOpen => _breaker.IsOpen;

    /// <summary>Whether a write must invalidate in Redis: while the breaker is open the new epoch of the coming
    /// recovery covers it, except once recovery is under way (see <see cref="RecoverAsync"/>).</summary>
    public bool MayInvalidate => !_breaker.IsOpen || _probing;

    /// <summary>Counts breaker openings: a read that spans one must not store what it loaded, since writes made
    /// meanwhile were not invalidated.</summary>
    public long Outages => Interlocked.Read(ref _outages);

    public void Succeeded() => _breaker.RecordSuccess();

    public void Failed(Exception e)
    {
        _statistics.Error();
        _logger.LogWarning("Redis call failed, answering from the store: {Error}", e.Message);
        _breaker.RecordFailure();
    }

    /// <summary>A write is committed but Redis may still hold answers that predate it: stop using the cache until
    /// a new epoch has orphaned them all.</summary>
    public void InvalidationFailed(Exception e)
    {
        Failed(e);
        Interlocked.Increment(ref _failedInvalidations);
        _breaker.Trip();
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
            InvalidationFailed(e);
        }
    }

    public static bool IsRedisFailure(Exception e) => e is RedisException or TimeoutException or ObjectDisposedException;

    private async Task EnsureSubscribedAsync()
    {
        if (_subscription is not null) return; // the multiplexer re-subscribes by itself after reconnecting
        var queue = await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisScripts.Channel)).WaitAsync(_options.OperationTimeout);
        queue.OnMessage(message => ApplyMessage(message.Message));
        _subscription = queue;
    }

    private void ApplyMessage(RedisValue message)
    {
        var parts = ((string)message!).Split('\n');
        if (long.TryParse(parts[0], out var sequence)) _coherence.Apply(sequence, parts[1..]);
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

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _stopping.Dispose();
    }
}
