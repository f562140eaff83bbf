using System.Diagnostics;

namespace FactCheck.Caching.Tests;

public class LocalCoherenceTests
{
    /// <summary>Long enough that a test relying on it never sees a catch-up give up.</summary>
    private static readonly TimeSpan NeverGivesUp = TimeSpan.FromMinutes(10);

    /// <summary>Bounds every await so a broken wait fails the test instead of hanging the run.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(5);

    private readonly List<int> flushes = [];

    /// <summary>A coherence layer that has applied every message up to <paramref name="baseline"/>, with the
    /// Flushed counter reset afterwards (setting the baseline flushes once).</summary>
    private LocalCoherence Baselined(long baseline = 0, int maxTags = 100, TimeSpan? messageWait = null)
    {
        var coherence = Fresh(maxTags, messageWait);
        Assert.True(coherence.CatchUpAsync(baseline, CancellationToken.None).IsCompletedSuccessfully);
        flushes.Clear();
        return coherence;
    }

    private LocalCoherence Fresh(int maxTags = 100, TimeSpan? messageWait = null)
    {
        var coherence = new LocalCoherence(maxTags, messageWait ?? NeverGivesUp);
        coherence.Flushed += () => flushes.Add(1);
        return coherence;
    }

    private int Flushes => flushes.Count;

    [Fact(Timeout = TestTimeouts.Store)]
    public Task AnEntryCapturedBeforeAMessageForItsTagIsInvalidAfterTheMessage() => Task.Run(() =>
    {
        var coherence = Baselined();
        var filled = coherence.Take();
        Assert.True(coherence.IsValid(filled, "speaker:1"));

        coherence.Apply(1, ["speaker:1"]);

        Assert.False(coherence.IsValid(filled, "speaker:1"));
        Assert.Equal(0, Flushes);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task EntriesForOtherTagsStayValidAfterAMessage() => Task.Run(() =>
    {
        var coherence = Baselined();
        var filled = coherence.Take();

        coherence.Apply(1, ["speaker:1", "claim:7"]);

        Assert.False(coherence.IsValid(filled, "claim:7"));
        Assert.True(coherence.IsValid(filled, "speaker:2"));
        Assert.True(coherence.IsValid(filled, "claim:8"));
        Assert.Equal(0, Flushes);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task AnEntryCapturedAfterTheMessageForItsTagIsValid() => Task.Run(() =>
    {
        var coherence = Baselined();
        coherence.Apply(1, ["speaker:1"]);

        var filled = coherence.Take();

        Assert.True(coherence.IsValid(filled, "speaker:1"));
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task AnEntryIsInvalidatedByEveryLaterMessageForItsTagNotJustTheFirst() => Task.Run(() =>
    {
        var coherence = Baselined();
        coherence.Apply(1, ["speaker:1"]);
        var filled = coherence.Take();
        coherence.Apply(2, ["speaker:2"]);
        Assert.True(coherence.IsValid(filled, "speaker:1"));

        coherence.Apply(3, ["speaker:1"]);

        Assert.False(coherence.IsValid(filled, "speaker:1"));
        Assert.False(coherence.IsValid(filled, "speaker:2"));
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task AnOwnWriteInvalidatesItsTagsImmediatelyWithoutWaitingForItsMessage() => Task.Run(() =>
    {
        var coherence = Baselined();
        var filled = coherence.Take();

        coherence.ApplyLocal(["speaker:1"]);

        Assert.False(coherence.IsValid(filled, "speaker:1"));
        Assert.True(coherence.IsValid(filled, "speaker:2"));
        Assert.True(coherence.IsValid(coherence.Take(), "speaker:1"));
        Assert.Equal(0, Flushes);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task AnOwnWriteDoesNotConsumeASequenceNumberSoItsMessageIsNotAGap() => Task.Run(() =>
    {
        var coherence = Baselined();
        coherence.ApplyLocal(["speaker:1"]);
        var filled = coherence.Take();

        coherence.Apply(1, ["speaker:1"]);

        Assert.Equal(0, Flushes);
        Assert.True(coherence.IsValid(filled, "speaker:2"));
        Assert.True(coherence.CatchUpAsync(1, CancellationToken.None).IsCompletedSuccessfully);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task CatchUpReturnsAtOnceWhenEveryPublishedMessageIsAlreadyApplied() => Task.Run(() =>
    {
        var coherence = Baselined();
        coherence.Apply(1, ["speaker:1"]);
        coherence.Apply(2, ["speaker:2"]);
        var filled = coherence.Take();

        var catchUp = coherence.CatchUpAsync(2, CancellationToken.None);

        Assert.True(catchUp.IsCompletedSuccessfully);
        Assert.Equal(0, Flushes);
        Assert.True(coherence.IsValid(filled, "speaker:1"));
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task CatchUpWaitsForAMessageAppliedLaterFromAnotherTaskAndTheEntryCapturedBeforeIsThenInvalid()
    {
        var coherence = Baselined();
        var filled = coherence.Take();

        var catchUp = coherence.CatchUpAsync(1, CancellationToken.None);
        Assert.False(catchUp.IsCompleted);
        var completedBeforeApply = await Task.Run(async () =>
        {
            await Task.Delay(100);
            var completed = catchUp.IsCompleted;
            coherence.Apply(1, ["speaker:1"]);
            return completed;
        });
        await catchUp.WaitAsync(Hang);

        Assert.False(completedBeforeApply);
        Assert.False(coherence.IsValid(filled, "speaker:1"));
        // Caught up by the message, not by giving up: nothing was flushed.
        Assert.True(coherence.IsValid(filled, "speaker:2"));
        Assert.Equal(0, Flushes);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task CatchUpKeepsWaitingUntilTheLastPublishedMessageNotJustTheNextOne()
    {
        var coherence = Baselined();
        var catchUp = coherence.CatchUpAsync(3, CancellationToken.None);

        coherence.Apply(1, ["speaker:1"]);
        coherence.Apply(2, ["speaker:2"]);
        await Task.Delay(50);
        Assert.False(catchUp.IsCompleted);

        coherence.Apply(3, ["speaker:3"]);
        await catchUp.WaitAsync(Hang);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task CatchUpCanBeCancelledWhileWaiting()
    {
        var coherence = Baselined();
        using var cancellation = new CancellationTokenSource();
        var catchUp = coherence.CatchUpAsync(1, cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => catchUp.WaitAsync(Hang));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public Task AGapInSequenceNumbersInvalidatesEveryEntry() => Task.Run(() =>
    {
        var coherence = Baselined();
        coherence.Apply(1, ["speaker:1"]);
        var filled = coherence.Take();

        coherence.Apply(3, ["speaker:3"]);

        Assert.Equal(1, Flushes);
        Assert.False(coherence.IsValid(filled, "speaker:1"));
        Assert.False(coherence.IsValid(filled, "unrelated"));
        var after = coherence.Take();
        Assert.True(coherence.IsValid(after, "speaker:3"));
        // The gap's message is now the baseline: the next one is no gap.
        coherence.Apply(4, ["speaker:4"]);
        Assert.Equal(1, Flushes);
        Assert.True(coherence.IsValid(after, "unrelated"));
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task AStarMessageInvalidatesEveryEntry() => Task.Run(() =>
    {
        var coherence = Baselined();
        var filled = coherence.Take();

        coherence.Apply(1, ["*"]);

        Assert.Equal(1, Flushes);
        Assert.False(coherence.IsValid(filled, "speaker:1"));
        Assert.False(coherence.IsValid(filled, "unrelated"));
        Assert.True(coherence.IsValid(coherence.Take(), "speaker:1"));
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task APublishedNumberBelowTheAppliedOneIsAlreadyCaughtUpAndFlushesNothing() => Task.Run(() =>
    {
        var coherence = Baselined();
        for (var sequence = 1; sequence <= 5; sequence++) coherence.Apply(sequence, [$"speaker:{sequence}"]);
        var filled = coherence.Take();

        // A reader's counter read can return after newer messages were applied: that is not a reason to flush.
        var catchUp = coherence.CatchUpAsync(2, CancellationToken.None);

        Assert.True(catchUp.IsCompletedSuccessfully);
        Assert.Equal(0, Flushes);
        Assert.True(coherence.IsValid(filled, "unrelated"));
        coherence.Apply(6, ["speaker:1"]);
        Assert.Equal(0, Flushes);
        Assert.False(coherence.IsValid(filled, "speaker:1"));
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task AMessageThatNeverArrivesEndsTheWaitAfterTheConfiguredTimeFlushingEverything()
    {
        var coherence = Baselined(messageWait: TimeSpan.FromMilliseconds(150));
        coherence.Apply(1, ["speaker:1"]);
        var filled = coherence.Take();

        var elapsed = Stopwatch.StartNew();
        var catchUp = coherence.CatchUpAsync(3, CancellationToken.None);
        Assert.False(catchUp.IsCompleted);
        await catchUp.WaitAsync(Hang);
        elapsed.Stop();

        Assert.InRange(elapsed.ElapsedMilliseconds, 120, 2_000);
        Assert.Equal(1, Flushes);
        Assert.False(coherence.IsValid(filled, "unrelated"));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task AfterGivingUpOnAMessageLaterMessagesContinueFromThePublishedNumber()
    {
        var coherence = Baselined(messageWait: TimeSpan.FromMilliseconds(50));
        await coherence.CatchUpAsync(3, CancellationToken.None).WaitAsync(Hang);
        Assert.Equal(1, Flushes);
        var filled = coherence.Take();

        // The lost messages turning up late are covered by the flush and ignored.
        coherence.Apply(2, ["speaker:2"]);
        coherence.Apply(3, ["speaker:3"]);
        Assert.True(coherence.IsValid(filled, "speaker:2"));
        Assert.True(coherence.IsValid(filled, "speaker:3"));
        // The next one is applied normally, without a gap flush.
        coherence.Apply(4, ["speaker:4"]);
        Assert.Equal(1, Flushes);
        Assert.False(coherence.IsValid(filled, "speaker:4"));
        Assert.True(coherence.IsValid(filled, "unrelated"));
        Assert.True(coherence.CatchUpAsync(4, CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public Task WithoutABaselineCatchUpFlushesAndTakesThePublishedNumberWithoutWaiting() => Task.Run(() =>
    {
        var coherence = Fresh();
        var filled = coherence.Take();

        var catchUp = coherence.CatchUpAsync(7, CancellationToken.None);

        Assert.True(catchUp.IsCompletedSuccessfully);
        Assert.Equal(1, Flushes);
        Assert.False(coherence.IsValid(filled, "unrelated"));
        var after = coherence.Take();
        coherence.Apply(8, ["speaker:8"]);
        Assert.Equal(1, Flushes);
        Assert.True(coherence.IsValid(after, "unrelated"));
        Assert.False(coherence.IsValid(after, "speaker:8"));
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task AnOutageFlushInvalidatesEveryEntryAndDropsTheBaseline() => Task.Run(() =>
    {
        var coherence = Baselined();
        coherence.Apply(1, ["speaker:1"]);
        var filled = coherence.Take();

        coherence.Flush();

        Assert.Equal(1, Flushes);
        Assert.False(coherence.IsValid(filled, "unrelated"));
        // No baseline any more: catching up does not wait for 2..5 but flushes and starts from 5.
        Assert.True(coherence.CatchUpAsync(5, CancellationToken.None).IsCompletedSuccessfully);
        Assert.Equal(2, Flushes);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task DuplicateAndLateMessagesAreIgnored() => Task.Run(() =>
    {
        var coherence = Baselined();
        coherence.Apply(1, ["speaker:1"]);
        coherence.Apply(2, ["speaker:2"]);
        var filled = coherence.Take();

        coherence.Apply(2, ["speaker:1"]);
        coherence.Apply(1, ["speaker:2"]);
        coherence.Apply(0, ["*"]);

        Assert.True(coherence.IsValid(filled, "speaker:1"));
        Assert.True(coherence.IsValid(filled, "speaker:2"));
        Assert.Equal(0, Flushes);
        // And they did not move the applied number back: 3 is next, not a gap.
        coherence.Apply(3, ["speaker:3"]);
        Assert.Equal(0, Flushes);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task TheFlushedEventFiresOnEachFlush() => Task.Run(() =>
    {
        var coherence = Fresh(maxTags: 1);

        Assert.True(coherence.CatchUpAsync(0, CancellationToken.None).IsCompletedSuccessfully); // no baseline
        Assert.Equal(1, Flushes);
        coherence.Apply(2, ["speaker:2"]); // gap
        Assert.Equal(2, Flushes);
        coherence.Apply(3, ["*"]);
        Assert.Equal(3, Flushes);
        coherence.Apply(4, ["speaker:1", "speaker:2"]); // more tags than maxTags
        Assert.Equal(4, Flushes);
        coherence.Flush();
        Assert.Equal(5, Flushes);
        coherence.Apply(2, ["speaker:2"]); // the first message after an outage becomes the baseline
        Assert.Equal(5, Flushes);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task ExceedingMaxTagsFlushesEverythingButReachingItDoesNot() => Task.Run(() =>
    {
        var coherence = Baselined(maxTags: 3);
        coherence.Apply(1, ["speaker:1", "speaker:2"]);
        var filled = coherence.Take();

        coherence.Apply(2, ["speaker:3"]); // 3 tags tracked: at the limit
        Assert.Equal(0, Flushes);
        Assert.True(coherence.IsValid(filled, "speaker:4"));

        coherence.Apply(3, ["speaker:4"]); // 4 would exceed it
        Assert.Equal(1, Flushes);
        Assert.False(coherence.IsValid(filled, "unrelated"));

        // The flush forgot every tag, so there is room again.
        var after = coherence.Take();
        coherence.Apply(4, ["speaker:5"]);
        Assert.Equal(1, Flushes);
        Assert.True(coherence.IsValid(after, "unrelated"));
        Assert.False(coherence.IsValid(after, "speaker:5"));
    });
}
