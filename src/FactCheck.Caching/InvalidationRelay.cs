using FactCheck.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FactCheck.Caching;

/// <summary>
/// Keeps every cached read fresh when a write's invalidation cannot reach Redis: Redis stalled, killed, restarted, or
/// cut off from this instance only. It does not rely on any other instance happening to call Redis. For every instance:
/// <list type="number">
/// <item>A write whose invalidation cannot be sent records its tags in the database (<see cref="IInvalidationOutbox"/>)
/// and is acknowledged once a relay has delivered that record, or once the trust window W plus a margin has passed since
/// it was recorded, whichever comes first.</item>
/// <item>Every instance runs a relay, with or without traffic: every W/8 it reads the outbox, delivers what it found to
/// Redis (bumps the tags, or starts a new epoch when it found a full batch) and removes it. A pass is complete when all
/// it read is delivered; with nothing to deliver it needs only the database.</item>
/// <item>An instance answers from its cache (Redis or in-process) only within W of the start of its last complete pass;
/// otherwise it reads from the store and caches nothing.</item>
/// </list>
/// Why that is enough: a read answered from the cache at time t on instance R means that R's last complete pass started
/// after t − W. A write acknowledged before t without a delivery was recorded before t − W − margin, so before that pass
/// read the outbox (a read sees every commit that finished before it started), and that pass delivered it before t.
/// The tags of every write acknowledged before a cached read were therefore bumped before that read, on every instance,
/// and the generation argument of <see cref="RedisResponseCache"/> does the rest. Assumed: the instances' monotonic
/// clocks run at the same rate to within the margin (W/10), and the database's reads see every commit that finished
/// before they began (SQLite; a PostgreSQL primary, not an asynchronous replica).
/// </summary>
internal sealed class InvalidationRelay : IAsyncDisposable
{
    /// <summary>Records delivered per pass by their tags; a full batch is delivered by a new epoch instead, which covers
    /// every write committed before it, however many records remain.</summary>
    internal const int BatchLimit = 500;

    private readonly IInvalidationOutbox outbox;
    private readonly Func<IReadOnlyCollection<string>, Task> deliver;
    private readonly Func<Task> newEpoch;
    private readonly CacheOptions options;
    private readonly CacheStatistics statistics;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private long lastCompletePassStart; // a timestamp of clock; 0 = no complete pass yet
    private bool failing;
    private Task? loop;

    public InvalidationRelay(IInvalidationOutbox outbox, Func<IReadOnlyCollection<string>, Task> deliver, Func<Task> newEpoch,
        CacheOptions options, CacheStatistics statistics, TimeProvider clock, ILogger logger)
    {
        this.outbox = outbox;
        this.deliver = deliver;
        this.newEpoch = newEpoch;
        this.options = options;
        this.statistics = statistics;
        this.clock = clock;
        this.logger = logger;
    }

    /// <summary>Rule 3: whether this instance may answer from its cache now.</summary>
    public bool IsTrusted
    {
        get
        {
            var start = Volatile.Read(ref lastCompletePassStart);
            return start != 0 && clock.GetElapsedTime(start) < options.TrustWindow;
        }
    }

    private TimeSpan PassInterval => options.TrustWindow / 8;
    private TimeSpan Margin => options.TrustWindow / 10;

    /// <summary>One pass now, so that a healthy start serves from the cache at once, then one every W/8.</summary>
    public async Task StartAsync()
    {
        await PassAsync();
        loop = RunAsync();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(PassInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token)) await PassAsync();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Rule 2.</summary>
    internal async Task PassAsync()
    {
        // Taken before the outbox is read: the pass covers what was committed before this instant.
        var start = clock.GetTimestamp();
        try
        {
            // A pass that takes longer than the window could not make the cache usable anyway.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            timeout.CancelAfter(options.TrustWindow);
            var pending = await outbox.PendingAsync(BatchLimit, timeout.Token);
            if (pending.Count > 0)
            {
                if (pending.Count == BatchLimit) await newEpoch();
                else await deliver(pending.SelectMany(record => record.Tags).ToHashSet());
                await outbox.RemoveAsync(pending.Select(record => record.Id).ToList(), timeout.Token);
                statistics.Relayed(pending.Count);
            }
            Volatile.Write(ref lastCompletePassStart, start);
            if (failing)
            {
                failing = false;
                logger.LogInformation("Cache relay passes complete again: cached answers are used again");
            }
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            statistics.Error();
            if (failing) return;
            failing = true;
            logger.LogWarning("Cache relay pass failed, cached answers are not used until one completes: {Error}", e.Message);
        }
    }

    /// <summary>Rule 1, for a committed write whose invalidation could not be sent. Throws only when it could be
    /// neither recorded nor sent for a while: the write is committed, but it must not be acknowledged.</summary>
    public async Task DeferAsync(IReadOnlyCollection<string> tags)
    {
        if (await RecordAsync(tags) is not { } id) return;
        statistics.Deferred();
        var recorded = clock.GetTimestamp();
        var wait = options.TrustWindow + Margin;
        while (clock.GetElapsedTime(recorded) is var elapsed && elapsed < wait)
        {
            await Task.Delay(Min(wait - elapsed, PassInterval), clock);
            try
            {
                if (!await outbox.IsPendingAsync(id, CancellationToken.None)) return; // a relay delivered it
            }
            catch (StoreException)
            {
                // Cannot tell: wait out the window.
            }
        }
    }

    /// <summary>The record's id; null if, the database refusing, Redis took the invalidation after all.</summary>
    private async Task<long?> RecordAsync(IReadOnlyCollection<string> tags)
    {
        var started = clock.GetTimestamp();
        while (true)
        {
            try
            {
                return await outbox.AddAsync(tags, CancellationToken.None);
            }
            catch (StoreException e)
            {
                if (clock.GetElapsedTime(started) > options.DeferralDeadline)
                    throw new StoreUnavailableException("the write is committed, but neither Redis nor the database took its cache invalidation", e);
                try
                {
                    await deliver(tags);
                    return null;
                }
                catch (Exception redis) when (RedisRecovery.IsRedisFailure(redis))
                {
                    await Task.Delay(PassInterval, clock);
                }
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (loop is not null) await loop;
        stopping.Dispose();
    }
}
