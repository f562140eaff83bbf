using System.Collections.Concurrent;
using FactCheck.Core;
using FactCheck.Core.Audit;
using FactCheck.Core.Errors;
using FactCheck.Core.Paging;
using FactCheck.Core.Reviews;
using FactCheck.Core.Storage;
using FactCheck.Storage.Relational.Audit;
using FactCheck.Transparency.Merkle;
using FactCheck.Transparency.Notes;
using FactCheck.Transparency.Verification;

namespace FactCheck.Storage.Tests;

/// <summary>
/// The audit log's Merkle tree: kept by every write, checkpoints and proofs made from it, records rebuilt as they
/// stood, and each kind of tampering, which a client holding an earlier checkpoint catches (<see cref="VerifyAsClientAsync"/>
/// checks what the CLI's audit verify --checkpoint checks).
/// </summary>
public abstract partial class StoreConformanceTests
{
    private const int TreeTimeout = 120_000;

    private static readonly NoteSigner LogKey = NoteSigner.Generate("factcheck.test/audit");

    /// <summary>A client that pinned the log's key.</summary>
    private static readonly LogVerifier Client = new(LogKey.Verifier);

    /// <summary>The server's side over the current store, nothing cached: as a server (re)started now.</summary>
    private AuditCheckpoints Checkpoints => new(Store.Audit, LogKey);

    private AuditLog AuditLog => new(Store.Audit, new PageTokens(Store.Installation), Checkpoints);

    private RecordHistory History => new(Store.Audit, Checkpoints, new PageTokens(Store.Installation), Clock);

    private ConsistencyProofSource Proofs => async (oldSize, newSize, ct) => (await Checkpoints.ConsistencyProofAsync(oldSize, newSize, ct)).Proof;

    public static TheoryData<string> AuditColumns => new(AuditTampering.Columns);

    /// <summary>A shutdown that finds a watch reading the store: the store gives up on the read, and the watch ends
    /// as it does when the shutdown finds it waiting (the server then answers UNAVAILABLE, not UNKNOWN).</summary>
    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_watch_cancelled_while_it_reads_the_store_ends_with_what_it_has_read()
    {
        await CreateAsync(NewSpeaker("Abbas Araghchi"));
        using var watching = new CancellationTokenSource();
        var reads = 0;
        var store = CancelOnRead.Around(Store.Audit, () => ++reads == 2 ? watching : null);
        var seen = new List<AuditEvent>();

        await foreach (var e in new AuditLog(store, new PageTokens(Store.Installation), Checkpoints).WatchAsync(new AuditFilter(), 0, watching.Token))
            seen.Add(e);

        Assert.Equal(2, reads);
        Assert.Equal((await ReadAuditLogAsync()).Select(e => e.Sequence), seen.Select(e => e.Sequence));
    }

    /// <summary>The real store, with its audit list read cancelled as it starts when <c>cancelOn</c> gives a source.</summary>
    public class CancelOnRead : System.Reflection.DispatchProxy
    {
        private IAuditStore inner = null!;
        private Func<CancellationTokenSource?> cancelOn = null!;

        public static IAuditStore Around(IAuditStore inner, Func<CancellationTokenSource?> cancelOn)
        {
            var proxy = Create<IAuditStore, CancelOnRead>();
            ((CancelOnRead)(object)proxy).inner = inner;
            ((CancelOnRead)(object)proxy).cancelOn = cancelOn;
            return proxy;
        }

        protected override object? Invoke(System.Reflection.MethodInfo? method, object?[]? args)
        {
            if (method!.Name == nameof(IAuditStore.ListAuditEventsAsync)) cancelOn()?.Cancel();
            return method.Invoke(inner, args);
        }
    }

    [Fact(Timeout = TreeTimeout)]
    public async Task Every_write_adds_its_events_to_the_tree_whose_root_is_the_RFC_9162_hash_of_their_leaves()
    {
        await WriteSomeHistoryAsync();

        var log = await ReadAuditLogAsync();
        var size = await Store.Audit.GetLogSizeAsync(Ct);
        Assert.Equal(46, log.Count);
        Assert.Equal(new AuditLogSize(log.Count, MerkleTree.StoredHashCount(log.Count)), size);
        Assert.Equal(log.Count, size.TreeSize);
        var checkpoint = await SaveCheckpointAsync();
        Assert.Equal(log.Count, checkpoint.Checkpoint.Size);
        Assert.Equal(TreeHash(log.Select(e => e.ToLeaf().LeafHash()).ToList()), checkpoint.Checkpoint.RootHash);
        Assert.Null((await AuditLog.VerifyAsync(Ct)).Break);
        await VerifyAsClientAsync(checkpoint);
    }

    [Fact(Timeout = TreeTimeout)]
    public async Task Every_event_is_proven_in_every_checkpoint_that_holds_it_and_every_checkpoint_extends_the_earlier_ones()
    {
        var checkpoints = new List<SignedCheckpoint>();
        for (var i = 0; i < 12; i++)
        {
            await CreateAsync(NewSpeaker($"Speaker {i}"));
            checkpoints.Add(await SaveCheckpointAsync());
        }
        await Store.Claims.ImportClaimsAsync(Enumerable.Range(0, 20).Select(i => NewClaim($"Imported {i}.")).ToList(), null, TestAudit, Ct);
        checkpoints.Add(await SaveCheckpointAsync());
        var log = await ReadAuditLogAsync();
        var latest = checkpoints[^1];

        foreach (var e in log)
        {
            var (proof, treeSize, checkpoint) = await Checkpoints.InclusionProofAsync(e.Sequence, 0, Ct);
            Assert.Equal(latest.Checkpoint.Size, treeSize);
            Assert.Equal(latest.Note, checkpoint!.Note);
            LogVerifier.VerifyIncluded(latest.Checkpoint, e.ToLeaf(), proof);
            foreach (var earlier in checkpoints.Where(c => c.Checkpoint.Size >= e.Sequence))
            {
                var (inEarlier, earlierSize, none) = await Checkpoints.InclusionProofAsync(e.Sequence, earlier.Checkpoint.Size, Ct);
                Assert.Equal((earlier.Checkpoint.Size, null), (earlierSize, none));
                LogVerifier.VerifyIncluded(earlier.Checkpoint, e.ToLeaf(), inEarlier);
            }
        }
        foreach (var older in checkpoints)
            foreach (var newer in checkpoints.Where(c => c.Checkpoint.Size >= older.Checkpoint.Size))
                await LogVerifier.VerifyExtendsAsync(older.Checkpoint, newer.Checkpoint, Proofs, Ct);
        // A page with proofs: each event's proof against the page's checkpoint, in the page's order.
        var page = await AuditLog.ListAsync(new AuditFilter { Principal = TestAudit.Principal }, 7, null, withProofs: true, Ct);
        Assert.Equal(latest.Note, page.Checkpoint!.Note);
        Assert.Equal(log.Take(7).Select(e => e.Id), page.Events.Select(e => e.Id));
        for (var i = 0; i < page.Events.Count; i++) LogVerifier.VerifyIncluded(latest.Checkpoint, page.Events[i].ToLeaf(), page.InclusionProofs[i]);
    }

    [Fact(Timeout = TreeTimeout)]
    public async Task Proofs_beyond_the_log_or_of_impossible_trees_are_refused_naming_the_field()
    {
        for (var i = 0; i < 5; i++) await CreateAsync(NewSpeaker($"Speaker {i}"));

        Assert.Equal("tree_size", (await Assert.ThrowsAsync<FailedPreconditionException>(() => Checkpoints.InclusionProofAsync(2, 6, Ct))).Field);
        Assert.Equal("name", (await Assert.ThrowsAsync<FailedPreconditionException>(() => Checkpoints.InclusionProofAsync(6, 0, Ct))).Field);
        Assert.Equal("name", Violation(await Assert.ThrowsAsync<InvalidArgumentException>(() => Checkpoints.InclusionProofAsync(4, 3, Ct))));
        Assert.Equal("tree_size", Violation(await Assert.ThrowsAsync<InvalidArgumentException>(() => Checkpoints.InclusionProofAsync(1, -1, Ct))));
        Assert.Equal("first_tree_size", Violation(await Assert.ThrowsAsync<InvalidArgumentException>(() => Checkpoints.ConsistencyProofAsync(0, 5, Ct))));
        Assert.Equal("first_tree_size", Violation(await Assert.ThrowsAsync<InvalidArgumentException>(() => Checkpoints.ConsistencyProofAsync(4, 3, Ct))));
        Assert.Equal("second_tree_size", Violation(await Assert.ThrowsAsync<InvalidArgumentException>(() => Checkpoints.ConsistencyProofAsync(1, -2, Ct))));
        Assert.Equal("second_tree_size", (await Assert.ThrowsAsync<FailedPreconditionException>(() => Checkpoints.ConsistencyProofAsync(2, 9, Ct))).Field);
        Assert.Equal("first_tree_size", (await Assert.ThrowsAsync<FailedPreconditionException>(() => Checkpoints.ConsistencyProofAsync(6, 0, Ct))).Field);
        Assert.Empty((await Checkpoints.ConsistencyProofAsync(5, 5, Ct)).Proof);
    }

    [Fact(Timeout = TreeTimeout)]
    public async Task Events_stored_before_the_tree_existed_are_added_in_order_as_the_store_starts_and_a_stopped_catch_up_resumes()
    {
        // More events than the catch-up adds in one transaction.
        var speaker = await CreateAsync(NewSpeaker("Abbas Araghchi"));
        foreach (var batch in Enumerable.Range(0, 2100).Select(i => NewClaim($"Claim {i}.", speaker.Id)).Chunk(700))
            await Store.Claims.ImportClaimsAsync(batch, null, TestAudit, Ct);
        var before = await SaveCheckpointAsync();
        // A database as the tree's migration leaves one made before the tree: every event, and an empty tree (the
        // migration only creates the table, whichever version it is).
        await Store.Database.WriteAsync(session => session.ExecuteAsync("DELETE FROM audit_tree", Ct), Ct);

        await ReopenAsync();

        Assert.Equal(before.Note, (await SaveCheckpointAsync()).Note);
        // A catch-up that stopped after 5 events: the next write adds the missing leaves before its own, in its
        // transaction, and the next start has nothing left to do.
        await Store.Database.WriteAsync(session => session.ExecuteAsync("DELETE FROM audit_tree WHERE idx >= @from", Ct,
            ("@from", MerkleTree.StoredHashCount(5))), Ct);
        Assert.Equal(5, (await Store.Audit.GetLogSizeAsync(Ct)).TreeSize);
        await CreateAsync(NewSpeaker("Hakan Fidan"));
        var after = await SaveCheckpointAsync();
        Assert.Equal(2102, after.Checkpoint.Size);
        await LogVerifier.VerifyExtendsAsync(before.Checkpoint, after.Checkpoint, Proofs, Ct);
        Assert.Equal(0, await AuditTree.CatchUpAsync(Store.Database, Ct));
        Assert.Null((await AuditLog.VerifyAsync(Ct)).Break);
    }

    [Fact(Timeout = TreeTimeout)]
    public async Task Concurrent_writers_on_two_store_instances_make_one_log_whose_checkpoints_and_proofs_verify()
    {
        await using var second = await CreateStoreAsync();
        var speaker = await CreateAsync(NewSpeaker("Shared Speaker"));
        var seen = new ConcurrentBag<SignedCheckpoint>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? Store : second;
            var server = new AuditCheckpoints(store.Audit, LogKey);
            for (var j = 0; j < 6; j++)
            {
                if (j % 3 == 2)
                    await store.Claims.ImportClaimsAsync([NewClaim($"Imported {i} {j} a.", speaker.Id), NewClaim($"Imported {i} {j} b.", speaker.Id)], null, TestAudit, Ct);
                else
                    await store.Claims.CreateClaimAsync(NewClaim($"Claim {i} {j}.", speaker.Id), null, TestAudit, Ct);
                seen.Add(Client.Open((await server.GetLatestAsync(Ct)).Note));
            }
        })));

        var log = await ReadAuditLogAsync();
        Assert.Equal(1 + 8 * (4 + 2 * 2), log.Count);
        Assert.Null((await AuditLog.VerifyAsync(Ct)).Break);
        var latest = await SaveCheckpointAsync();
        Assert.Equal(log.Count, latest.Checkpoint.Size);
        // One linear history: whichever instance signed them, all checkpoints are prefixes of the same tree.
        foreach (var checkpoint in seen) await LogVerifier.VerifyExtendsAsync(checkpoint.Checkpoint, latest.Checkpoint, Proofs, Ct);
        foreach (var sameSize in seen.GroupBy(c => c.Checkpoint.Size)) Assert.Single(sameSize.Select(c => c.Checkpoint.RootHash).Distinct());
        await VerifyAsClientAsync(latest);
    }

    // ---- Tampering, on both stores, caught by a client holding an earlier checkpoint ----

    [Theory(Timeout = TreeTimeout)]
    [MemberData(nameof(AuditColumns))]
    public async Task Editing_any_column_of_an_event_is_caught_by_a_client_holding_an_earlier_checkpoint(string column)
    {
        await WriteSomeHistoryAsync();
        var saved = await SaveCheckpointAsync();
        await CreateAsync(NewSpeaker("Later Speaker"));

        await AuditTampering.EditColumnAsync(Store.Database, 3, column);

        var failure = await Assert.ThrowsAsync<LogVerificationException>(() => VerifyAsClientAsync(saved));
        // An edited event no longer has its leaf; an event moved elsewhere leaves its place empty.
        Assert.Equal(column == "seq" ? LogFailure.Rewrite : LogFailure.NotIncluded, failure.Failure);
        Assert.Contains("#3 ", failure.Message);
        Assert.NotNull((await AuditLog.VerifyAsync(Ct)).Break);
    }

    [Theory(Timeout = TreeTimeout)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deleting_the_last_events_is_caught_as_a_truncation_whether_or_not_their_tree_hashes_go_too(bool keepTree)
    {
        await WriteSomeHistoryAsync();
        var saved = await SaveCheckpointAsync();

        await AuditTampering.TruncateAsync(Store.Database, 3, keepTree);
        await ReopenAsync();

        var failure = await Assert.ThrowsAsync<LogVerificationException>(() => VerifyAsClientAsync(saved));
        Assert.Equal(LogFailure.Truncation, failure.Failure);
        Assert.StartsWith("truncation:", failure.Message);
        // With the tree's hashes gone too, the server's own check finds nothing wrong: only the saved checkpoint tells.
        Assert.Equal(keepTree, (await AuditLog.VerifyAsync(Ct)).Break is not null);
    }

    [Fact(Timeout = TreeTimeout)]
    public async Task Deleting_an_event_in_the_middle_is_caught_and_so_is_renumbering_and_rehashing_the_rest_to_hide_it()
    {
        await WriteSomeHistoryAsync();
        var saved = await SaveCheckpointAsync();
        var log = await ReadAuditLogAsync();

        await AuditTampering.DeleteEventAsync(Store.Database, 5);
        var missing = await Assert.ThrowsAsync<LogVerificationException>(() => VerifyAsClientAsync(saved));
        Assert.Equal(LogFailure.Rewrite, missing.Failure);
        Assert.Contains("event #5 is missing", missing.Message);

        // Covered up: the later events renumbered, the chain re-sealed and the tree rebuilt. The server's own check passes.
        await AuditTampering.RewriteAsync(Store.Database, 5, events => log.Skip(5).ToList());
        await ReopenAsync();
        Assert.Null((await AuditLog.VerifyAsync(Ct)).Break);
        var truncated = await Assert.ThrowsAsync<LogVerificationException>(() => VerifyAsClientAsync(saved));
        Assert.Equal(LogFailure.Truncation, truncated.Failure);
        // Once the log grows past the saved size again, its tree no longer extends the saved one.
        for (var i = 0; i < 3; i++) await CreateAsync(NewSpeaker($"Later {i}"));
        var rewritten = await Assert.ThrowsAsync<LogVerificationException>(() => VerifyAsClientAsync(saved));
        Assert.Equal(LogFailure.Rewrite, rewritten.Failure);
        Assert.StartsWith("rewrite:", rewritten.Message);
    }

    [Fact(Timeout = TreeTimeout)]
    public async Task Editing_an_event_and_rehashing_everything_after_it_is_caught_as_a_fork_then_a_rewrite()
    {
        await WriteSomeHistoryAsync();
        var saved = await SaveCheckpointAsync();

        await AuditTampering.RewritePrincipalAsync(Store.Database, 4, "someone-else");
        await ReopenAsync();

        Assert.Null((await AuditLog.VerifyAsync(Ct)).Break);
        Assert.Equal("someone-else", (await ReadAuditLogAsync())[3].Principal);
        var fork = await Assert.ThrowsAsync<LogVerificationException>(() => VerifyAsClientAsync(saved));
        Assert.Equal(LogFailure.Fork, fork.Failure);
        Assert.StartsWith("fork:", fork.Message);
        await CreateAsync(NewSpeaker("Later Speaker"));
        Assert.Equal(LogFailure.Rewrite, (await Assert.ThrowsAsync<LogVerificationException>(() => VerifyAsClientAsync(saved))).Failure);
    }

    [Fact(Timeout = TreeTimeout)]
    public async Task Two_histories_of_one_size_shown_to_two_clients_are_a_fork_that_a_witness_catches_and_keeps_as_evidence()
    {
        await WriteSomeHistoryAsync();
        using var directory = new TempDirectory();
        var witness = new Witness(directory.Path, Client);
        var shownToFirst = await SaveCheckpointAsync();
        await witness.ObserveAsync(shownToFirst, Proofs, Ct);

        await AuditTampering.RewritePrincipalAsync(Store.Database, 2, "someone-else");
        await ReopenAsync();
        var shownToSecond = await SaveCheckpointAsync();

        Assert.Equal(shownToFirst.Checkpoint.Size, shownToSecond.Checkpoint.Size);
        Assert.NotEqual(shownToFirst.Checkpoint.RootHash, shownToSecond.Checkpoint.RootHash);
        // Each client alone is satisfied with what it was shown; comparing checkpoints, or a witness, shows the fork.
        await VerifyAsClientAsync(shownToSecond);
        Assert.Equal(LogFailure.Fork, Assert.Throws<LogVerificationException>(() => LogVerifier.VerifyExtends(shownToFirst.Checkpoint, shownToSecond.Checkpoint, [])).Failure);
        var witnessed = await Assert.ThrowsAsync<LogVerificationException>(() => witness.ObserveAsync(shownToSecond, Proofs, Ct));
        Assert.Equal(LogFailure.Fork, witnessed.Failure);
        Assert.Equal(shownToFirst.Note, witness.Trusted()!.Note);
        Assert.Equal(shownToSecond.Note, await File.ReadAllBytesAsync(Assert.Single(Directory.GetFiles(directory.Path, "rejected-*.note")), Ct));
    }

    // ---- Records as they stood, and revisions ----

    [Fact(Timeout = TreeTimeout)]
    public async Task Claims_and_speakers_are_read_as_they_stood_at_any_time_rebuilt_from_the_log()
    {
        var beforeAll = StoredNow();
        Clock.Advance(TimeSpan.FromMinutes(1));
        var speaker = await CreateAsync(NewSpeaker("Abbas Araghchi"));
        var created = await CreateAsync(NewClaim("Resistance groups will help.", speaker.Id) with { Appearances = [NewAppearance("Dawn", Clock.GetUtcNow())] });
        var createTime = StoredNow();
        Clock.Advance(TimeSpan.FromMinutes(1));
        var edited = await Store.Claims.UpdateClaimAsync(created with { Context = "press conference", AttributionConfidence = 0.5 }, 1, TestAudit, Ct);
        var editTime = StoredNow();
        Clock.Advance(TimeSpan.FromMinutes(1));
        var renamed = await Store.Speakers.UpdateSpeakerAsync(speaker with { Aliases = ["Abbas Araqchi"] }, 1, TestAudit, Ct);
        var (_, reviewed) = await Store.Reviews.AddReviewAsync(NewReview(created.Id, ReviewVerdict.Accurate), TestAudit, Ct);
        var reviewTime = StoredNow();
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Store.Claims.DeleteClaimAsync(created.Id, reviewed.Version, Clock.GetUtcNow(), TestAudit, Ct);
        var deleteTime = StoredNow();
        Clock.Advance(TimeSpan.FromMinutes(1));

        AssertSameContent(created, await History.ClaimAsOfAsync(created.Id, createTime, Ct));
        AssertSameContent(created, await History.ClaimAsOfAsync(created.Id, editTime.AddMicroseconds(-1), Ct));
        AssertSameContent(edited, await History.ClaimAsOfAsync(created.Id, editTime, Ct));
        AssertSameContent(edited, await History.ClaimAsOfAsync(created.Id, reviewTime.AddTicks(-1), Ct));
        AssertSameContent(reviewed, await History.ClaimAsOfAsync(created.Id, deleteTime.AddTicks(-1), Ct));
        Assert.Contains("did not exist", (await Assert.ThrowsAsync<NotFoundException>(() => History.ClaimAsOfAsync(created.Id, beforeAll, Ct))).Message);
        Assert.Contains("was deleted", (await Assert.ThrowsAsync<NotFoundException>(() => History.ClaimAsOfAsync(created.Id, deleteTime, Ct))).Message);
        AssertSameContent(speaker, await History.SpeakerAsOfAsync(speaker.Id, editTime, Ct));
        AssertSameContent(renamed, await History.SpeakerAsOfAsync(speaker.Id, Clock.GetUtcNow(), Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => History.SpeakerAsOfAsync("nobody", Clock.GetUtcNow(), Ct));
        Assert.Equal("read_time", Violation(await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            History.ClaimAsOfAsync(created.Id, Clock.GetUtcNow().AddSeconds(1), Ct))));
    }

    [Fact(Timeout = TreeTimeout)]
    public async Task A_claims_revisions_page_newest_first_each_with_who_why_what_and_a_proof_against_the_pages_checkpoint()
    {
        var claim = await CreateAsync(NewClaim("Version 1."));
        await CreateAsync(NewClaim("Another claim."));
        for (var version = 1; version <= 3; version++)
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
            claim = await Store.Claims.UpdateClaimAsync(claim with { Text = $"Version {version + 1}." }, version,
                new AuditContext($"editor-{version}", AuditActions.ClaimUpdate, $"correction {version}"), Ct);
        }
        await Store.Claims.DeleteClaimAsync(claim.Id, claim.Version, Clock.GetUtcNow(), new AuditContext("editor-9", AuditActions.ClaimDelete, "duplicate"), Ct);

        var revisions = new List<Revision<Core.Claims.Claim>>();
        string? token = null;
        do
        {
            var page = await History.ClaimRevisionsAsync(claim.Id, 2, token, Ct);
            Assert.InRange(page.Revisions.Count, 1, 2);
            foreach (var revision in page.Revisions) LogVerifier.VerifyIncluded(Client.Open(page.Checkpoint.Note).Checkpoint, revision.Event.ToLeaf(), revision.InclusionProof);
            revisions.AddRange(page.Revisions);
            token = page.NextPageToken;
        } while (token != "");

        Assert.Equal([AuditActions.ClaimDelete, AuditActions.ClaimUpdate, AuditActions.ClaimUpdate, AuditActions.ClaimUpdate, TestAudit.Action],
            revisions.Select(r => r.Event.Action));
        Assert.Equal(revisions.Select(r => r.Event.Sequence).OrderDescending(), revisions.Select(r => r.Event.Sequence));
        Assert.Equal(["duplicate", "correction 3", "correction 2", "correction 1", null], revisions.Select(r => r.Event.Reason));
        Assert.Equal(["editor-9", "editor-3", "editor-2", "editor-1", TestAudit.Principal], revisions.Select(r => r.Event.Principal));
        Assert.Equal([null, "Version 4.", "Version 3.", "Version 2.", "Version 1."], revisions.Select(r => r.After?.Text));
        Assert.Equal(["Version 4.", "Version 3.", "Version 2.", "Version 1.", null], revisions.Select(r => r.Before?.Text));
        await Assert.ThrowsAsync<NotFoundException>(() => History.ClaimRevisionsAsync("nothing-here", 0, null, Ct));
        var first = await History.ClaimRevisionsAsync(claim.Id, 1, null, Ct);
        Assert.Equal("page_token", Violation(await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            History.ClaimRevisionsAsync("another-claim", 1, first.NextPageToken, Ct))));
    }

    // ---- Helpers ----

    /// <summary>Speakers, claims, an edit, a review, an import, API keys and a deletion: 46 events.</summary>
    private async Task WriteSomeHistoryAsync()
    {
        var speaker = await CreateAsync(NewSpeaker("Abbas Araghchi"));
        var claim = await CreateAsync(NewClaim("Resistance groups will help.", speaker.Id));
        claim = await Store.Claims.UpdateClaimAsync(claim with { Context = "press conference" }, claim.Version, TestAudit, Ct);
        await Store.Reviews.AddReviewAsync(NewReview(claim.Id, ReviewVerdict.Accurate), TestAudit, Ct);
        await Store.Claims.ImportClaimsAsync(Enumerable.Range(0, 37).Select(i => NewClaim($"Imported claim {i}.", speaker.Id)).ToList(), null, TestAudit, Ct);
        var key = await Store.ApiKeys.CreateApiKeyAsync(NewApiKey("outside-auditor"), TestAudit, Ct);
        await Store.ApiKeys.RevokeApiKeyAsync(key.Id, Clock.GetUtcNow(), TestAudit, Ct);
        var deleted = await CreateAsync(NewClaim("To be deleted.", speaker.Id));
        await Store.Claims.DeleteClaimAsync(deleted.Id, deleted.Version, Clock.GetUtcNow(), TestAudit, Ct);
    }

    /// <summary>The latest checkpoint as a client saves it: its signature checked with the pinned key.</summary>
    private async Task<SignedCheckpoint> SaveCheckpointAsync() => Client.Open((await Checkpoints.GetLatestAsync(Ct)).Note);

    /// <summary>
    /// What a client that saved <paramref name="saved"/> checks: the latest checkpoint is signed by the log's key and
    /// extends the saved one, and every event, re-encoded from what the store returns, is in it at its place, events 1
    /// to its size without a gap. Throws the <see cref="LogVerificationException"/> that names the tampering.
    /// </summary>
    private async Task VerifyAsClientAsync(SignedCheckpoint saved)
    {
        var latest = await SaveCheckpointAsync();
        await LogVerifier.VerifyExtendsAsync(saved.Checkpoint, latest.Checkpoint, Proofs, Ct);
        var events = await Store.Audit.ListAuditEventsAsync(new AuditFilter { ThroughSequence = latest.Checkpoint.Size }, 0, 100_000, Ct);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Sequence != i + 1)
                throw new LogVerificationException(LogFailure.Rewrite, $"rewrite: event #{i + 1} is missing, yet the signed log holds it");
        }
        if (events.Count < latest.Checkpoint.Size)
            throw new LogVerificationException(LogFailure.Truncation, $"truncation: the signed log holds {latest.Checkpoint.Size} events, the store {events.Count}");
        var proofs = await Checkpoints.InclusionProofsAsync(events, latest, Ct);
        for (var i = 0; i < events.Count; i++) LogVerifier.VerifyIncluded(latest.Checkpoint, events[i].ToLeaf(), proofs[i]);
    }

    /// <summary>RFC 9162's MTH, by its recursive definition: independent of the stored hashes.</summary>
    private static Hash TreeHash(IReadOnlyList<Hash> leaves)
    {
        if (leaves.Count == 1) return leaves[0];
        var k = 1;
        while (k * 2 < leaves.Count) k *= 2;
        return MerkleTree.NodeHash(TreeHash(leaves.Take(k).ToList()), TreeHash(leaves.Skip(k).ToList()));
    }

    private static string Violation(InvalidArgumentException e) => Assert.Single(e.Violations).Field;
}
