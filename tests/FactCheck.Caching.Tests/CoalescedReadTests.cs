using System.Threading.Channels;

namespace FactCheck.Caching.Tests;

public class CoalescedReadTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(5);

    /// <summary>A read function whose every invocation blocks until the test completes it.</summary>
    private sealed class ControlledReads
    {
        private readonly Channel<TaskCompletionSource<int>> started = Channel.CreateUnbounded<TaskCompletionSource<int>>();
        private int count;

        public int Count => Volatile.Read(ref count);

        public Task<int> Read()
        {
            Interlocked.Increment(ref count);
            var read = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            started.Writer.TryWrite(read);
            return read.Task;
        }

        /// <summary>The next read to be invoked, once it is.</summary>
        public async Task<TaskCompletionSource<int>> NextStarted() => await started.Reader.ReadAsync().AsTask().WaitAsync(Hang);

        public bool AnotherStarted => started.Reader.TryPeek(out _);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task ASingleCallerGetsTheValueOfTheRead()
    {
        var reads = 0;
        var coalesced = new CoalescedRead<int>(() => Task.FromResult(++reads * 10));

        Assert.Equal(10, await coalesced.NextAsync().WaitAsync(Hang));
        Assert.Equal(1, reads);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task ACallAfterTheReadReturnedStartsANewRead()
    {
        var reads = 0;
        var coalesced = new CoalescedRead<int>(() => Task.FromResult(++reads * 10));

        Assert.Equal(10, await coalesced.NextAsync().WaitAsync(Hang));
        Assert.Equal(20, await coalesced.NextAsync().WaitAsync(Hang));
        Assert.Equal(2, reads);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task CallersArrivingWhileAReadIsInFlightShareOneNewReadStartedAfterItReturns()
    {
        var reads = new ControlledReads();
        var coalesced = new CoalescedRead<int>(reads.Read);

        var a = coalesced.NextAsync();
        var first = await reads.NextStarted();
        var b = coalesced.NextAsync();
        var c = coalesced.NextAsync();
        Assert.Equal(1, reads.Count); // B and C do not start a read while #1 is in flight...

        first.SetResult(1);
        Assert.Equal(1, await a.WaitAsync(Hang));
        var second = await reads.NextStarted();
        Assert.False(b.IsCompleted); // ...nor take #1's value, which was sent before they asked
        Assert.False(c.IsCompleted);

        second.SetResult(2);
        Assert.Equal(2, await b.WaitAsync(Hang));
        Assert.Equal(2, await c.WaitAsync(Hang));
        Assert.Equal(2, reads.Count);
        Assert.False(reads.AnotherStarted);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task ACallerArrivingDuringTheSecondReadWaitsForAThird()
    {
        var reads = new ControlledReads();
        var coalesced = new CoalescedRead<int>(reads.Read);
        var a = coalesced.NextAsync();
        var first = await reads.NextStarted();
        var b = coalesced.NextAsync();
        first.SetResult(1);
        var second = await reads.NextStarted();

        var c = coalesced.NextAsync();
        second.SetResult(2);
        Assert.Equal(2, await b.WaitAsync(Hang));
        var third = await reads.NextStarted();
        Assert.False(c.IsCompleted);
        third.SetResult(3);

        Assert.Equal(1, await a.WaitAsync(Hang));
        Assert.Equal(3, await c.WaitAsync(Hang));
        Assert.Equal(3, reads.Count);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task AFailedReadFailsItsOwnBatchOnlyAndTheNextCallStartsAFreshRead()
    {
        var reads = new ControlledReads();
        var coalesced = new CoalescedRead<int>(reads.Read);
        var a = coalesced.NextAsync();
        var first = await reads.NextStarted();
        var b = coalesced.NextAsync();
        var c = coalesced.NextAsync();

        var firstFailure = new TimeoutException("read #1");
        first.SetException(firstFailure);
        Assert.Same(firstFailure, await Assert.ThrowsAsync<TimeoutException>(() => a.WaitAsync(Hang)));
        // B and C asked after #1 was sent, so its failure is not theirs: they get their own read.
        var second = await reads.NextStarted();
        Assert.False(b.IsCompleted);
        var secondFailure = new InvalidOperationException("read #2");
        second.SetException(secondFailure);
        Assert.Same(secondFailure, await Assert.ThrowsAsync<InvalidOperationException>(() => b.WaitAsync(Hang)));
        Assert.Same(secondFailure, await Assert.ThrowsAsync<InvalidOperationException>(() => c.WaitAsync(Hang)));

        var d = coalesced.NextAsync();
        var third = await reads.NextStarted();
        third.SetResult(3);
        Assert.Equal(3, await d.WaitAsync(Hang));
        Assert.Equal(3, reads.Count);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task AReadThatThrowsSynchronouslyFailsItsCallersTaskAndTheNextCallReadsAgain()
    {
        var reads = 0;
        var coalesced = new CoalescedRead<int>(() => ++reads == 1 ? throw new InvalidOperationException("down") : Task.FromResult(reads));

        var failed = coalesced.NextAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => failed.WaitAsync(Hang));

        Assert.Equal(2, await coalesced.NextAsync().WaitAsync(Hang));
    }
}
