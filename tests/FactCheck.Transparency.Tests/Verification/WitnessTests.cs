using FactCheck.Transparency.Verification;

namespace FactCheck.Transparency.Tests.Verification;

public sealed class WitnessTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"factcheck-witness-{Guid.NewGuid():N}");

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task The_witness_keeps_the_newest_checkpoint_that_extends_what_it_saw()
    {
        using var log = await TestLog.CreateAsync(4);
        var witness = new Witness(directory, log.Verifier);
        Assert.Null(witness.Trusted());

        var first = await log.CheckpointAsync();
        Assert.Same(first, await witness.ObserveAsync(first, log.Proofs, CancellationToken.None));
        await log.AppendAsync(7);
        var second = await log.CheckpointAsync();
        await witness.ObserveAsync(second, log.Proofs, CancellationToken.None);
        // An older checkpoint of the same history is not a failure, but the newest is kept.
        await Assert.ThrowsAsync<LogVerificationException>(() => witness.ObserveAsync(first, log.Proofs, CancellationToken.None));
        Assert.Equal(11, witness.Trusted()!.Checkpoint.Size);
        Assert.Equal(second.Note, await File.ReadAllBytesAsync(Path.Combine(directory, Witness.CheckpointFileName)));
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_fork_served_later_is_caught_and_kept_as_evidence()
    {
        using var log = await TestLog.CreateAsync(10);
        var witness = new Witness(directory, log.Verifier);
        await witness.ObserveAsync(await log.CheckpointAsync(), log.Proofs, CancellationToken.None);

        using var fork = await log.RewrittenAsync(events =>
        {
            events[2] = events[2] with { Action = "claim.delete" };
            return events;
        });
        await fork.AppendAsync(2);
        var forked = await fork.CheckpointAsync();
        var error = await Assert.ThrowsAsync<LogVerificationException>(() => witness.ObserveAsync(forked, fork.Proofs, CancellationToken.None));
        Assert.Equal(LogFailure.Rewrite, error.Failure);

        Assert.Equal(10, witness.Trusted()!.Checkpoint.Size);
        var evidence = Assert.Single(Directory.GetFiles(directory, "rejected-*-12.note"));
        Assert.Equal(forked.Note, await File.ReadAllBytesAsync(evidence));
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_saved_checkpoint_that_was_altered_is_refused()
    {
        using var log = await TestLog.CreateAsync(3);
        var witness = new Witness(directory, log.Verifier);
        await witness.ObserveAsync(await log.CheckpointAsync(), log.Proofs, CancellationToken.None);
        var path = Path.Combine(directory, Witness.CheckpointFileName);
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("\n3\n", "\n2\n"));
        Assert.Equal(LogFailure.BadSignature, Assert.Throws<LogVerificationException>(() => witness.Trusted()).Failure);
    }

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }
}
