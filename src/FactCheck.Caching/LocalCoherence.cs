using System.Collections.Concurrent;

namespace FactCheck.Caching;

/// <summary>
/// Keeps this process's in-memory entries coherent with writes made through any instance.
///
/// Every invalidation is published on a Redis channel with a sequence number taken from a Redis counter in the
/// same script that bumps the generations, so message order is sequence order. Applying a message stamps its tags
/// with a new local stamp; an entry is valid while none of its tag's stamps is newer than the stamp taken before it
/// was loaded, and while no flush happened since.
///
/// A read may use an entry only after a barrier: it reads the Redis sequence counter (in a read sent after the
/// request arrived) and waits until every message up to that number has been applied. A write acknowledged before
/// the request arrived bumped the counter before its acknowledgement, so its message is applied before the entry is
/// consulted: no stale hit, on any instance. A gap in the sequence or a message that never arrives flushes
/// everything local and starts over from the counter. A Redis restart (the counter starts again from zero) drops
/// the connection, which makes the owner <see cref="Flush"/> and so drop the baseline.
///
/// The counter read cannot be replaced by the last sequence the subscription delivered, however recently the
/// subscription (or the relay's pass, see <see cref="InvalidationRelay"/>) was seen alive: a message published for a
/// write acknowledged on another instance may still be in flight to this one, and only a read sent after the request
/// arrived proves which messages must be waited for.
/// </summary>
internal sealed class LocalCoherence
{
    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, long> tagStamps = new();
    private readonly int maxTags;
    private readonly TimeSpan messageWait;
    private long applied = -1; // last sequence applied; -1 = no baseline yet
    private long stamp;
    private long flushes;
    private TaskCompletionSource progress = NewProgress();

    public LocalCoherence(int maxTags, TimeSpan messageWait)
    {
        this.maxTags = maxTags;
        this.messageWait = messageWait;
    }

    /// <summary>Raised when every local entry must be dropped.</summary>
    public event Action? Flushed;

    public readonly record struct Capture(long Flush, long Stamp);

    /// <summary>Taken before loading a value; an entry filled from that load is valid only while this still holds.</summary>
    public Capture Take()
    {
        lock (gate) return new Capture(flushes, stamp);
    }

    public bool IsValid(Capture filled, string tag)
    {
        // Stamp first, flush count second: a flush bumps the count before clearing the stamps, so a stamp read as
        // cleared is always followed by seeing the new count.
        var tagStamp = tagStamps.GetValueOrDefault(tag);
        Interlocked.MemoryBarrier();
        return filled.Flush == Volatile.Read(ref flushes) && tagStamp <= filled.Stamp;
    }

    /// <summary>A message from the channel: sequence number and tags ("*" = everything).</summary>
    public void Apply(long sequence, IReadOnlyCollection<string> tags)
    {
        lock (gate)
        {
            if (applied >= 0 && sequence <= applied) return; // a late duplicate of what a rebaseline covered
            var gap = applied >= 0 && sequence != applied + 1;
            applied = sequence;
            if (gap || tags.Contains("*") || tagStamps.Count + tags.Count > maxTags) FlushLocked();
            else Stamp(tags);
            var completed = progress;
            progress = NewProgress();
            completed.TrySetResult();
        }
    }

    /// <summary>This instance's own write: stamp at once rather than wait for the message to come back.</summary>
    public void ApplyLocal(IReadOnlyCollection<string> tags)
    {
        lock (gate) Stamp(tags);
    }

    public void Flush()
    {
        lock (gate)
        {
            FlushLocked();
            applied = -1;
        }
    }

    /// <summary>Waits until every message up to <paramref name="published"/> (the Redis counter read after the
    /// request arrived) is applied.</summary>
    public async Task CatchUpAsync(long published, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + messageWait;
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (applied < 0)
                {
                    // No baseline (first use, or after an outage): nothing local can be trusted.
                    FlushLocked();
                    applied = published;
                    return;
                }
                // Already past it: routine, since newer messages can be applied before this read's reply arrives.
                if (applied >= published) return;
                next = progress.Task;
            }
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero || !await Wait(next, remaining, cancellationToken))
            {
                lock (gate)
                {
                    if (applied >= published) return;
                    // Messages were lost (e.g. a dropped subscription): start over from the counter.
                    FlushLocked();
                    applied = published;
                    return;
                }
            }
        }
    }

    private static async Task<bool> Wait(Task progress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await progress.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void Stamp(IReadOnlyCollection<string> tags)
    {
        var next = ++stamp;
        foreach (var tag in tags) tagStamps[tag] = next;
    }

    private void FlushLocked()
    {
        Interlocked.Increment(ref flushes);
        stamp++;
        tagStamps.Clear();
        Flushed?.Invoke();
    }

    private static TaskCompletionSource NewProgress() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
