using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FactCheck.Caching;

/// <summary>
/// Decides whether Redis may be used, and brings the cache back after an outage.
///
/// A <see cref="CircuitBreaker"/> opens after consecutive Redis failures; it opens at once when the connection
/// drops or comes back (invalidation messages may have been lost, and a Redis restarted from a snapshot holds old
/// generations) and when a committed write could not invalidate. While it is open, reads bypass Redis and writes
/// hand their invalidations to <see cref="InvalidationRelay"/> rather than wait on Redis; recovery closes the breaker
/// only after starting a new cache epoch, which orphans every entry at once.
/// </summary>
internal sealed class RedisRecovery : IAsyncDisposable
{
    private readonly IConnectionMultiplexer redis;
    private readonly IDatabase database;
    private readonly CacheOptions options;
    private readonly CacheStatistics statistics;
    private readonly LocalCoherence coherence;
    private readonly ILogger logger;
    private readonly CircuitBreaker breaker;
    private readonly CancellationTokenSource stopping = new();
    private int recovering;
    private volatile bool probing; // recovery under way: writes invalidate again although the breaker is still open
    private long outages;
    private ChannelMessageQueue? subscription;

    public RedisRecovery(IConnectionMultiplexer redis, CacheOptions options, CacheStatistics statistics, LocalCoherence coherence, ILogger logger)
    {
        this.redis = redis;
        database = redis.GetDatabase();
        this.options = options;
        this.statistics = statistics;
        this.coherence = coherence;
        this.logger = logger;
        breaker = new CircuitBreaker(options.FailureThreshold);
        breaker.Opened += OnBreakerOpened;
        redis.ConnectionFailed += (_, _) => breaker.Trip();
        redis.ConnectionRestored += (_, _) => breaker.Trip();
    }

    /// <summary>True while reads must not touch Redis.</summary>
    public bool IsOpen => breaker.IsOpen;

    /// <summary>Whether a write should try Redis: not while the breaker is open (the relay takes its invalidation
    /// instead), except once recovery is under way (see <see cref="RecoverAsync"/>).</summary>
    public bool MayInvalidate => !breaker.IsOpen || probing;

    /// <summary>Counts breaker openings: a read that spans one must not store what it loaded, since writes made
    /// meanwhile were not invalidated.</summary>
    public long Outages => Interlocked.Read(ref outages);

    public void Succeeded() => breaker.RecordSuccess();

    public void Failed(Exception e)
    {
        statistics.Error();
        logger.LogWarning("Redis call failed, answering from the store: {Error}", e.Message);
        breaker.RecordFailure();
    }

    /// <summary>A write is committed but Redis may still hold answers that predate it: stop using the cache until
    /// a new epoch has orphaned them all.</summary>
    public void InvalidationFailed(Exception e)
    {
        Failed(e);
        breaker.Trip();
    }

    /// <summary>Subscribes to invalidations; call once before serving. Redis being down now is not an error:
    /// the cache starts degraded and recovers by itself.</summary>
    public async Task StartAsync()
    {
        try
        {
            await EnsureSubscribedAsync();
            if (!redis.IsConnected) breaker.Trip();
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            InvalidationFailed(e);
        }
    }

    public static bool IsRedisFailure(Exception e) => e is RedisException or TimeoutException or ObjectDisposedException;

    private async Task EnsureSubscribedAsync()
    {
        if (subscription is not null) return; // the multiplexer re-subscribes by itself after reconnecting
        var queue = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisScripts.Channel)).WaitAsync(options.OperationTimeout);
        queue.OnMessage(message => ApplyMessage(message.Message));
        subscription = queue;
    }

    private void ApplyMessage(RedisValue message)
    {
        var parts = ((string)message!).Split('\n');
        if (long.TryParse(parts[0], out var sequence)) coherence.Apply(sequence, parts[1..]);
    }

    private void OnBreakerOpened()
    {
        Interlocked.Increment(ref outages);
        coherence.Flush();
        logger.LogWarning("Cache degraded: Redis unavailable; answering from the store until it is back");
        if (Interlocked.Exchange(ref recovering, 1) == 0) _ = RecoverAsync();
    }

    /// <summary>Until Redis answers: wait, then start a new epoch (orphaning anything a missed invalidation left
    /// stale) and close the breaker.</summary>
    private async Task RecoverAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.RetryInterval, stopping.Token);
                // From here writes try Redis again (one that fails goes to the relay as before), so none can slip
                // between the new epoch and closing the breaker: a write committed earlier is covered by the epoch.
                probing = true;
                await EnsureSubscribedAsync();
                await RedisScripts.NewEpochAsync(database, options.OperationTimeout);
                coherence.Flush();
                breaker.Close();
                probing = false;
                logger.LogInformation("Cache recovered: Redis is back, new epoch started");
                Volatile.Write(ref recovering, 0);
                // Tripped again between closing and now: that opening found recovery still running, so go on.
                if (!breaker.IsOpen || Interlocked.Exchange(ref recovering, 1) != 0) return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever went wrong, keep trying: giving up would leave the cache off until a restart.
                probing = false; // Redis still away: don't make writes wait on it
                statistics.Error();
                if (!IsRedisFailure(e)) logger.LogError(e, "Cache recovery failed; retrying");
            }
        }
        probing = false;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        stopping.Dispose();
    }
}
