using System.Text;
using FactCheck.Transparency.Audit;
using FactCheck.Transparency.Merkle;
using FactCheck.Transparency.Notes;
using FactCheck.Transparency.Verification;

namespace FactCheck.Transparency.Tests.Verification;

/// <summary>A client holding a checkpoint saved earlier catches each kind of tampering with the log, by name.</summary>
public sealed class LogVerifierTests
{
    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_log_that_only_grew_extends_the_saved_checkpoint()
    {
        using var log = await TestLog.CreateAsync(13);
        var saved = await log.CheckpointAsync();
        await log.AppendAsync(20);
        var latest = await log.CheckpointAsync();
        await LogVerifier.VerifyExtendsAsync(saved.Checkpoint, latest.Checkpoint, log.Proofs, CancellationToken.None);
        // Same size, same tree; and the empty tree is a prefix of every tree.
        await LogVerifier.VerifyExtendsAsync(latest.Checkpoint, latest.Checkpoint, NoProofs, CancellationToken.None);
        await LogVerifier.VerifyExtendsAsync((await log.CheckpointAsync(0)).Checkpoint, latest.Checkpoint, NoProofs, CancellationToken.None);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Deleting_the_newest_events_is_truncation()
    {
        using var log = await TestLog.CreateAsync(20);
        var saved = await log.CheckpointAsync();
        using var truncated = await log.RewrittenAsync(events => events[..17]);
        await AssertFailure(LogFailure.Truncation, "fewer than the 20", saved, await truncated.CheckpointAsync(), truncated.Proofs);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Editing_an_event_and_rehashing_everything_after_it_is_a_fork_at_the_same_size()
    {
        using var log = await TestLog.CreateAsync(20);
        var saved = await log.CheckpointAsync();
        using var edited = await log.RewrittenAsync(events =>
        {
            events[6] = events[6] with { AfterJson = "{\"confidence\":0.1}" };
            return events;
        });
        await AssertFailure(LogFailure.Fork, "two different logs of 20 events", saved, await edited.CheckpointAsync(), edited.Proofs);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Editing_or_deleting_an_old_event_and_appending_more_is_a_rewrite()
    {
        using var log = await TestLog.CreateAsync(20);
        var saved = await log.CheckpointAsync();

        using var edited = await log.RewrittenAsync(events =>
        {
            events[6] = events[6] with { Principal = "someone-else@newsroom.example" };
            return events;
        });
        await edited.AppendAsync(5);
        await AssertFailure(LogFailure.Rewrite, "does not extend", saved, await edited.CheckpointAsync(), edited.Proofs);

        using var deleted = await log.RewrittenAsync(events => events.Where((_, i) => i != 9).ToList());
        await deleted.AppendAsync(3);
        await AssertFailure(LogFailure.Rewrite, "does not extend", saved, await deleted.CheckpointAsync(), deleted.Proofs);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Two_clients_shown_two_histories_of_the_same_size_see_a_fork()
    {
        using var log = await TestLog.CreateAsync(8);
        using var forA = await log.RewrittenAsync(events => [.. events, TestLog.Event(9)]);
        using var forB = await log.RewrittenAsync(events => [.. events, TestLog.Event(9) with { Reason = "quietly changed" }]);
        // Each history is consistent with the shared past...
        var shared = await log.CheckpointAsync();
        await LogVerifier.VerifyExtendsAsync(shared.Checkpoint, (await forA.CheckpointAsync()).Checkpoint, forA.Proofs, CancellationToken.None);
        await LogVerifier.VerifyExtendsAsync(shared.Checkpoint, (await forB.CheckpointAsync()).Checkpoint, forB.Proofs, CancellationToken.None);
        // ... but once the clients (or a witness) compare checkpoints, the fork shows.
        await AssertFailure(LogFailure.Fork, "fork", await forA.CheckpointAsync(), await forB.CheckpointAsync(), forB.Proofs);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_forged_consistency_proof_is_a_rewrite()
    {
        using var log = await TestLog.CreateAsync(30);
        var saved = await log.CheckpointAsync(11);
        var latest = await log.CheckpointAsync();
        var proof = await ConsistencyProof.CreateAsync(11, 30, log.Store, CancellationToken.None);
        var forged = proof.Select((h, i) => i == 1 ? MerkleTree.LeafHash([9]) : h).ToList();
        var error = Assert.Throws<LogVerificationException>(() => LogVerifier.VerifyExtends(saved.Checkpoint, latest.Checkpoint, forged));
        Assert.Equal(LogFailure.Rewrite, error.Failure);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Every_event_is_included_in_the_signed_tree_and_an_edited_one_is_not()
    {
        using var log = await TestLog.CreateAsync(25);
        var checkpoint = (await log.CheckpointAsync()).Checkpoint;
        foreach (var e in log.Events)
        {
            LogVerifier.VerifyIncluded(checkpoint, e, await log.InclusionAsync(e.Index, checkpoint.Size));
        }

        var served = log.Events[12] with { BeforeJson = "{\"confidence\":0.7}" };
        var proof = await log.InclusionAsync(12, 25);
        var error = Assert.Throws<LogVerificationException>(() => LogVerifier.VerifyIncluded(checkpoint, served, proof));
        Assert.Equal(LogFailure.NotIncluded, error.Failure);
        Assert.Contains("event #13", error.Message);

        var smaller = (await log.CheckpointAsync(10)).Checkpoint;
        var beyond = Assert.Throws<LogVerificationException>(() => LogVerifier.VerifyIncluded(smaller, log.Events[12], []));
        Assert.Equal(LogFailure.NotIncluded, beyond.Failure);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_checkpoint_not_signed_by_the_pinned_key_is_refused()
    {
        using var log = await TestLog.CreateAsync(5);
        using var impostor = NoteSigner.Generate(TestLog.Origin);
        var forged = SignedNote.Sign((await log.CheckpointAsync()).Checkpoint.ToNoteText(), impostor);
        Assert.Equal(LogFailure.BadSignature, Assert.Throws<LogVerificationException>(() => log.Verifier.Open(Encoding.UTF8.GetBytes(forged))).Failure);

        var altered = Encoding.UTF8.GetString((await log.CheckpointAsync()).Note).Replace("\n5\n", "\n4\n");
        Assert.Equal(LogFailure.BadSignature, Assert.Throws<LogVerificationException>(() => log.Verifier.Open(Encoding.UTF8.GetBytes(altered))).Failure);

        Assert.Equal(LogFailure.Malformed, Assert.Throws<LogVerificationException>(() => log.Verifier.Open("not a note"u8)).Failure);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_checkpoint_of_another_log_or_a_signed_note_that_is_no_checkpoint_is_refused()
    {
        using var log = await TestLog.CreateAsync(5);
        var otherLog = SignedNote.Sign(new Checkpoint("other.example/log", 1, MerkleTree.LeafHash([1])).ToNoteText(), log.Signer);
        Assert.Equal(LogFailure.WrongLog, Assert.Throws<LogVerificationException>(() => log.Verifier.Open(Encoding.UTF8.GetBytes(otherLog))).Failure);

        var notACheckpoint = SignedNote.Sign("hello\n", log.Signer);
        Assert.Equal(LogFailure.Malformed, Assert.Throws<LogVerificationException>(() => log.Verifier.Open(Encoding.UTF8.GetBytes(notACheckpoint))).Failure);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_proof_is_fetched_only_when_the_log_grew()
    {
        using var log = await TestLog.CreateAsync(9);
        var fetched = new List<(long, long)>();
        ConsistencyProofSource counting = (oldSize, newSize, ct) =>
        {
            fetched.Add((oldSize, newSize));
            return log.Proofs(oldSize, newSize, ct);
        };
        var nine = (await log.CheckpointAsync()).Checkpoint;
        await LogVerifier.VerifyExtendsAsync(nine, nine, counting, CancellationToken.None);
        await LogVerifier.VerifyExtendsAsync((await log.CheckpointAsync(0)).Checkpoint, nine, counting, CancellationToken.None);
        await LogVerifier.VerifyExtendsAsync((await log.CheckpointAsync(4)).Checkpoint, nine, counting, CancellationToken.None);
        Assert.Equal([(4L, 9L)], fetched);
    }

    private static readonly ConsistencyProofSource NoProofs = (_, _, _) => throw new InvalidOperationException("no proof is needed");

    private static async Task AssertFailure(LogFailure expected, string message, SignedCheckpoint trusted, SignedCheckpoint latest, ConsistencyProofSource proofs)
    {
        var error = await Assert.ThrowsAsync<LogVerificationException>(() => LogVerifier.VerifyExtendsAsync(trusted.Checkpoint, latest.Checkpoint, proofs, CancellationToken.None).AsTask());
        Assert.Equal(expected, error.Failure);
        Assert.Contains(message, error.Message);
    }
}
