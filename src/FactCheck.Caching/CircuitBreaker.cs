namespace FactCheck.Caching;

/// <summary>
/// Counts consecutive Redis failures; at the threshold (or when told a failure is fatal) it opens, and every
/// request bypasses the cache without waiting on Redis, until whoever owns recovery closes it again.
///
/// Not Polly's breaker (Polly.Core 8.9.1): it breaks on a failure ratio over a time window with at least two calls,
/// so a success does not reset the count and a threshold of 1 cannot be set; its manual isolation raises OnOpened
/// on every call, not once per opening; and its own way back is a half-open probe that lets the first read after the
/// break through, while ours must not close before <see cref="RedisRecovery"/> has started a new epoch.
/// </summary>
public sealed class CircuitBreaker(int failureThreshold)
{
    private int consecutiveFailures;
    private int open;

    public bool IsOpen => Volatile.Read(ref open) == 1;

    /// <summary>Raised once per transition to open.</summary>
    public event Action? Opened;

    public void RecordSuccess() => Interlocked.Exchange(ref consecutiveFailures, 0);

    public void RecordFailure()
    {
        if (Interlocked.Increment(ref consecutiveFailures) >= failureThreshold) Trip();
    }

    public void Trip()
    {
        if (Interlocked.Exchange(ref open, 1) == 0) Opened?.Invoke();
    }

    public void Close()
    {
        Interlocked.Exchange(ref consecutiveFailures, 0);
        Interlocked.Exchange(ref open, 0);
    }
}
