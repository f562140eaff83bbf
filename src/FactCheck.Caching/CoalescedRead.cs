namespace FactCheck.Caching;

/// <summary>
/// Shares one read among every caller that asks while no read has been sent yet: a caller always gets the result
/// of a read sent after it asked (never one already in flight), so the value is at least as new as the call.
/// Under load this turns N callers into one round trip per round-trip time.
/// </summary>
internal sealed class CoalescedRead<T>(Func<Task<T>> read)
{
    private readonly Lock gate = new();
    private TaskCompletionSource<T>? queued;
    private bool inFlight;

    public Task<T> NextAsync()
    {
        TaskCompletionSource<T> batch;
        lock (gate)
        {
            batch = queued ??= new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (inFlight) return batch.Task; // sent when the read in flight returns
            inFlight = true;
            queued = null;
        }
        _ = RunAsync(batch);
        return batch.Task;
    }

    private async Task RunAsync(TaskCompletionSource<T> batch)
    {
        while (true)
        {
            try
            {
                batch.TrySetResult(await read());
            }
            catch (Exception e)
            {
                batch.TrySetException(e);
            }
            lock (gate)
            {
                if (queued is null)
                {
                    inFlight = false;
                    return;
                }
                batch = queued;
                queued = null;
            }
        }
    }
}
