using System.Security.Cryptography;
using FactCheck.Core;
using FactCheck.Core.Access;
using FactCheck.Core.Audit;
using FactCheck.Core.Errors;
using FactCheck.Core.Reviews;
using FactCheck.Core.Storage;

namespace FactCheck.Storage.Tests;

/// <summary>The audit log: one hash-chained event per change, written in the change's own transaction.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Creating_a_speaker_appends_one_event_sealed_after_genesis_with_the_context_and_the_speaker_after()
    {
        var audit = new AuditContext("alice", AuditActions.SpeakerCreate, "new minister", "request-1");

        var created = await Store.Speakers.CreateSpeakerAsync(NewSpeaker("Kaja Kallas"), null, audit, Ct);

        var e = Assert.Single(await ReadAuditLogAsync());
        Assert.Equal(1, e.Sequence);
        Assert.Equal(AuditChain.Genesis, e.PreviousHash);
        Assert.Equal(AuditChain.HashOf(e), e.Hash);
        Assert.Equal(StoredNow(), e.Time);
        await AssertAuditLogAsync(Expect(audit, created.ResourceName, null, AuditSnapshots.Of(created), StoredNow()));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Updating_a_speaker_appends_an_event_with_the_speaker_before_and_after()
    {
        var created = await CreateAsync(NewSpeaker("Kaja Kallas"));
        var createTime = StoredNow();
        Clock.Advance(TimeSpan.FromMinutes(5));
        var audit = new AuditContext("bob", AuditActions.SpeakerUpdate, "new office");

        var updated = await Store.Speakers.UpdateSpeakerAsync(created with { Description = "High Representative" }, created.Version, audit, Ct);

        await AssertAuditLogAsync(
            Expect(TestAudit, created.ResourceName, null, AuditSnapshots.Of(created), createTime),
            Expect(audit, created.ResourceName, AuditSnapshots.Of(created), AuditSnapshots.Of(updated), StoredNow()));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Creating_updating_and_deleting_a_claim_append_events_with_the_claim_before_and_after()
    {
        var speaker = await CreateAsync(NewSpeaker("Dmitry Peskov"));
        var speakerTime = StoredNow();
        Clock.Advance(TimeSpan.FromSeconds(1));
        var createAudit = new AuditContext("alice", AuditActions.ClaimCreate, null, "request-2");
        var created = await Store.Claims.CreateClaimAsync(NewClaim("Talks will resume.", speaker.Id) with { Appearances = [NewAppearance("TASS")] },
            null, createAudit, Ct);
        var createTime = StoredNow();
        Clock.Advance(TimeSpan.FromSeconds(1));
        var appearanceAudit = new AuditContext("bob", AuditActions.ClaimAddAppearance, "also in Dawn", "request-3");
        var updated = await Store.Claims.UpdateClaimAsync(created with { Appearances = [.. created.Appearances, NewAppearance("Dawn")] },
            created.Version, appearanceAudit, Ct);
        var updateTime = StoredNow();
        Clock.Advance(TimeSpan.FromSeconds(1));
        var deleteAudit = new AuditContext("carol", AuditActions.ClaimDelete, "duplicate");

        await Store.Claims.DeleteClaimAsync(updated.Id, updated.Version, Clock.GetUtcNow(), deleteAudit, Ct);

        await AssertAuditLogAsync(
            Expect(TestAudit, speaker.ResourceName, null, AuditSnapshots.Of(speaker), speakerTime),
            Expect(createAudit, created.ResourceName, null, AuditSnapshots.Of(created), createTime),
            Expect(appearanceAudit, created.ResourceName, AuditSnapshots.Of(created), AuditSnapshots.Of(updated), updateTime),
            Expect(deleteAudit, created.ResourceName, AuditSnapshots.Of(updated), null, StoredNow()));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_retried_create_appends_nothing_and_neither_does_a_request_id_reused_for_another_request()
    {
        var speakerKey = new IdempotencyKey("request-1", "fingerprint-1");
        var claimKey = new IdempotencyKey("request-2", "fingerprint-2");
        var speakerAudit = new AuditContext("alice", AuditActions.SpeakerCreate, null, speakerKey.RequestId);
        var claimAudit = new AuditContext("alice", AuditActions.ClaimCreate, null, claimKey.RequestId);
        var speaker = await Store.Speakers.CreateSpeakerAsync(NewSpeaker("Olaf Scholz"), speakerKey, speakerAudit, Ct);
        var claim = await Store.Claims.CreateClaimAsync(NewClaim("Once."), claimKey, claimAudit, Ct);
        var time = StoredNow();
        Clock.Advance(TimeSpan.FromMinutes(1));

        await Store.Speakers.CreateSpeakerAsync(NewSpeaker("Olaf Scholz"), speakerKey, speakerAudit, Ct);
        await Store.Claims.CreateClaimAsync(NewClaim("Once."), claimKey, claimAudit, Ct);
        await Assert.ThrowsAsync<AlreadyExistsException>(() =>
            Store.Claims.CreateClaimAsync(NewClaim("Twice."), claimKey with { Fingerprint = "other" }, claimAudit, Ct));
        await Assert.ThrowsAsync<AlreadyExistsException>(() =>
            Store.Claims.CreateClaimAsync(NewClaim("Hello."), speakerKey, claimAudit with { RequestId = speakerKey.RequestId }, Ct));

        await AssertAuditLogAsync(
            Expect(speakerAudit, speaker.ResourceName, null, AuditSnapshots.Of(speaker), time),
            Expect(claimAudit, claim.ResourceName, null, AuditSnapshots.Of(claim), time));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_write_that_fails_appends_nothing()
    {
        var holder = await CreateAsync(NewSpeaker("Vladimir Putin") with { WikidataId = "Q7747" });
        var claim = await CreateAsync(NewClaim("Original."));
        var deleted = await CreateAsync(NewClaim("Deleted."));
        await Store.Claims.DeleteClaimAsync(deleted.Id, deleted.Version, Clock.GetUtcNow(), TestAudit, Ct);
        var before = await ReadAuditLogAsync();
        var audit = new AuditContext("mallory", "test.failing_write", "should leave no trace", "request-9");

        // Stale versions: the version check fails after the transaction began.
        await Assert.ThrowsAsync<VersionConflictException>(() => Store.Speakers.UpdateSpeakerAsync(holder with { Description = "x" }, 7, audit, Ct));
        await Assert.ThrowsAsync<VersionConflictException>(() => Store.Claims.UpdateClaimAsync(claim with { Text = "x" }, 7, audit, Ct));
        await Assert.ThrowsAsync<VersionConflictException>(() => Store.Claims.DeleteClaimAsync(claim.Id, 7, Clock.GetUtcNow(), audit, Ct));
        // Missing or deleted resources.
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Speakers.UpdateSpeakerAsync(NewSpeaker("Nobody"), 1, audit, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Claims.UpdateClaimAsync(deleted with { Text = "Back." }, 2, audit, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Claims.DeleteClaimAsync(deleted.Id, 2, Clock.GetUtcNow(), audit, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Claims.CreateClaimAsync(NewClaim("Orphan.", "missing-speaker"), null, audit, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Claims.UpdateClaimAsync(claim with { SpeakerId = "missing-speaker" }, 1, audit, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Reviews.AddReviewAsync(NewReview(deleted.Id, ReviewVerdict.False), audit, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.ApiKeys.RevokeApiKeyAsync("missing-key", Clock.GetUtcNow(), audit, Ct));
        // Uniqueness.
        await Assert.ThrowsAsync<AlreadyExistsException>(() =>
            Store.Speakers.CreateSpeakerAsync(NewSpeaker("V. Putin") with { WikidataId = "Q7747" }, null, audit, Ct));

        AssertSameContent(before, await ReadAuditLogAsync());
        Assert.Empty(await Store.Audit.ListAuditEventsAsync(new AuditFilter { Principal = "mallory" }, 0, 100, Ct));
        // The chain goes on from where it was.
        await CreateAsync(NewSpeaker("Next Speaker"));
        Assert.Equal(before.Count + 1, (await ReadAuditLogAsync()).Count);
        Assert.Null(await AuditChain.VerifyAsync(Store.Audit.ReadAuditLogAsync(Ct), Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task The_chain_has_no_forks_or_gaps_after_writes_from_many_concurrent_tasks()
    {
        var shared = await CreateAsync(NewSpeaker("Shared Speaker"));
        var writes = 1;

        var perTask = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            var audit = new AuditContext($"worker-{i}", "test.concurrent");
            var count = 0;
            var claim = await Store.Claims.CreateClaimAsync(NewClaim($"Concurrent claim number {i} about harbour tolls."), null, audit, Ct);
            claim = await Store.Claims.UpdateClaimAsync(claim with { Text = $"Edited concurrent claim number {i}." }, claim.Version, audit, Ct);
            var (_, reviewed) = await Store.Reviews.AddReviewAsync(NewReview(claim.Id, ReviewVerdict.Accurate), audit, Ct);
            count += 4;
            switch (i % 3)
            {
                case 0:
                    await Store.Claims.DeleteClaimAsync(reviewed.Id, reviewed.Version, Clock.GetUtcNow(), audit, Ct);
                    count++;
                    break;
                case 1:
                    var key = await Store.ApiKeys.CreateApiKeyAsync(NewApiKey($"worker-{i}"), audit, Ct);
                    await Store.ApiKeys.RevokeApiKeyAsync(key.Id, Clock.GetUtcNow(), audit, Ct);
                    count += 2;
                    break;
            }
            // Contended optimistic updates of one speaker: the losers' conflicts must leave no events behind.
            for (var done = false; !done;)
            {
                var current = (await Store.Speakers.GetSpeakerAsync(shared.Id, Ct))!;
                try
                {
                    await Store.Speakers.UpdateSpeakerAsync(current with { Description = $"touched by {i}" }, current.Version, audit, Ct);
                    count++;
                    done = true;
                }
                catch (VersionConflictException)
                {
                }
            }
            return count;
        })));
        writes += perTask.Sum();

        var log = await ReadAuditLogAsync();
        Assert.Null(await AuditChain.VerifyAsync(Store.Audit.ReadAuditLogAsync(Ct), Ct));
        Assert.Equal(writes, log.Count);
        Assert.Equal(Enumerable.Range(1, writes).Select(i => (long)i), log.Select(e => e.Sequence));
        Assert.Equal(log.Count, log.Select(e => e.Id).Distinct().Count());
        Assert.Equal(17, (await Store.Speakers.GetSpeakerAsync(shared.Id, Ct))!.Version);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Audit_events_are_filtered_by_resource_principal_action_and_time_range()
    {
        var alice = new AuditContext("alice", "test.write");
        var bob = new AuditContext("bob", "test.write");
        var speaker = await Store.Speakers.CreateSpeakerAsync(NewSpeaker("Speaker"), null, alice with { Action = AuditActions.SpeakerCreate }, Ct);
        var t1 = StoredNow();
        Clock.Advance(TimeSpan.FromHours(1));
        var claim = await Store.Claims.CreateClaimAsync(NewClaim("A claim."), null, bob with { Action = AuditActions.ClaimCreate }, Ct);
        var t2 = StoredNow();
        Clock.Advance(TimeSpan.FromHours(1));
        await Store.Claims.UpdateClaimAsync(claim with { Text = "An edited claim." }, claim.Version, alice with { Action = AuditActions.ClaimUpdate }, Ct);
        var t3 = StoredNow();
        Clock.Advance(TimeSpan.FromHours(1));
        await Store.Speakers.UpdateSpeakerAsync(speaker with { Description = "edited" }, speaker.Version, bob with { Action = AuditActions.SpeakerUpdate }, Ct);
        var t4 = StoredNow();

        Assert.Equal([1, 2, 3, 4], await ListAuditSequencesAsync(new AuditFilter()));
        Assert.Equal([2, 3], await ListAuditSequencesAsync(new AuditFilter { ResourceName = claim.ResourceName }));
        Assert.Equal([1, 4], await ListAuditSequencesAsync(new AuditFilter { ResourceName = speaker.ResourceName }));
        Assert.Empty(await ListAuditSequencesAsync(new AuditFilter { ResourceName = "claims/missing" }));
        Assert.Equal([1, 3], await ListAuditSequencesAsync(new AuditFilter { Principal = "alice" }));
        Assert.Empty(await ListAuditSequencesAsync(new AuditFilter { Principal = "Alice" }));
        Assert.Equal([3], await ListAuditSequencesAsync(new AuditFilter { Action = AuditActions.ClaimUpdate }));
        // From is inclusive, To exclusive.
        Assert.Equal([2, 3, 4], await ListAuditSequencesAsync(new AuditFilter { From = t2 }));
        Assert.Equal([1, 2], await ListAuditSequencesAsync(new AuditFilter { To = t3 }));
        Assert.Equal([2, 3], await ListAuditSequencesAsync(new AuditFilter { From = t2, To = t4 }));
        Assert.Empty(await ListAuditSequencesAsync(new AuditFilter { From = t4.AddMicroseconds(1) }));
        Assert.Equal([1], await ListAuditSequencesAsync(new AuditFilter { To = t1.AddMicroseconds(1) }));
        // Bounds at the last tick of year 9999, which a request's timestamp may carry (found by the fuzzer).
        Assert.Equal([1, 2, 3, 4], await ListAuditSequencesAsync(new AuditFilter { To = DateTimeOffset.MaxValue }));
        Assert.Empty(await ListAuditSequencesAsync(new AuditFilter { From = DateTimeOffset.MaxValue }));
        // Filters combine.
        Assert.Equal([3], await ListAuditSequencesAsync(new AuditFilter { Principal = "alice", ResourceName = claim.ResourceName }));
        Assert.Equal([4], await ListAuditSequencesAsync(new AuditFilter { Principal = "bob", From = t3 }));
        Assert.Empty(await ListAuditSequencesAsync(new AuditFilter { Principal = "bob", Action = AuditActions.ClaimUpdate }));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Audit_events_page_in_log_order_after_a_sequence_with_or_without_a_filter()
    {
        for (var i = 0; i < 5; i++)
            await Store.Speakers.CreateSpeakerAsync(NewSpeaker($"Speaker {i}"), null, new AuditContext(i % 2 == 0 ? "even" : "odd", AuditActions.SpeakerCreate), Ct);

        var first = await Store.Audit.ListAuditEventsAsync(new AuditFilter(), 0, 2, Ct);
        var second = await Store.Audit.ListAuditEventsAsync(new AuditFilter(), first[^1].Sequence, 2, Ct);
        var third = await Store.Audit.ListAuditEventsAsync(new AuditFilter(), second[^1].Sequence, 2, Ct);

        Assert.Equal([1L, 2L], first.Select(e => e.Sequence));
        Assert.Equal([3L, 4L], second.Select(e => e.Sequence));
        Assert.Equal([5L], third.Select(e => e.Sequence));
        Assert.Empty(await Store.Audit.ListAuditEventsAsync(new AuditFilter(), 5, 2, Ct));
        var evenFirst = await Store.Audit.ListAuditEventsAsync(new AuditFilter { Principal = "even" }, 0, 1, Ct);
        var evenNext = await Store.Audit.ListAuditEventsAsync(new AuditFilter { Principal = "even" }, evenFirst[^1].Sequence, 5, Ct);
        Assert.Equal([1L], evenFirst.Select(e => e.Sequence));
        Assert.Equal([3L, 5L], evenNext.Select(e => e.Sequence));
        Assert.Equal([4L], (await Store.Audit.ListAuditEventsAsync(new AuditFilter { Principal = "odd" }, 2, 5, Ct)).Select(e => e.Sequence));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task The_audit_log_streams_every_event_in_order_and_the_chain_continues_after_a_restart()
    {
        var speaker = await CreateAsync(NewSpeaker("Before Restart"));
        var claim = await CreateAsync(NewClaim("Before restart.", speaker.Id));
        var firstTime = StoredNow();
        var beforeRestart = await ReadAuditLogAsync();

        await ReopenAsync();
        Clock.Advance(TimeSpan.FromDays(1));
        var audit = new AuditContext("after-restart", AuditActions.ClaimUpdate, "restarted");
        var updated = await Store.Claims.UpdateClaimAsync(claim with { Text = "After restart." }, claim.Version, audit, Ct);

        var log = await ReadAuditLogAsync();
        AssertSameContent(beforeRestart, log.Take(2).ToList());
        AssertSameContent(log, await Store.Audit.ListAuditEventsAsync(new AuditFilter(), 0, 100, Ct));
        Assert.Null(await AuditChain.VerifyAsync(Store.Audit.ReadAuditLogAsync(Ct), Ct));
        await AssertAuditLogAsync(
            Expect(TestAudit, speaker.ResourceName, null, AuditSnapshots.Of(speaker), firstTime),
            Expect(TestAudit, claim.ResourceName, null, AuditSnapshots.Of(claim), firstTime),
            Expect(audit, claim.ResourceName, AuditSnapshots.Of(claim), AuditSnapshots.Of(updated), StoredNow()));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task An_empty_audit_log_reads_back_empty_and_verifies()
    {
        Assert.Empty(await ReadAuditLogAsync());
        Assert.Empty(await Store.Audit.ListAuditEventsAsync(new AuditFilter(), 0, 10, Ct));
        Assert.Null(await AuditChain.VerifyAsync(Store.Audit.ReadAuditLogAsync(Ct), Ct));
    }

    // ---- Audit helpers ----

    /// <summary>An event the log should hold; sequence, hashes and id are checked by <see cref="AssertAuditLogAsync"/>.</summary>
    protected sealed record ExpectedEvent(string Principal, string Action, string ResourceName, string? Before, string? After,
        string? Reason, string? RequestId, DateTimeOffset Time);

    protected static ExpectedEvent Expect(AuditContext audit, string resourceName, string? before, string? after, DateTimeOffset time,
        string? action = null) =>
        new(audit.Principal, action ?? audit.Action, resourceName, before, after, audit.Reason, audit.RequestId, time);

    /// <summary>
    /// The whole log, read both ways, is exactly <paramref name="expected"/> in order: numbered from 1, each event
    /// sealed after the one before it (the first after <see cref="AuditChain.Genesis"/>), with distinct ids.
    /// </summary>
    protected async Task AssertAuditLogAsync(params ExpectedEvent[] expected)
    {
        var log = await ReadAuditLogAsync();
        AssertSameContent(log, await Store.Audit.ListAuditEventsAsync(new AuditFilter(), 0, 10_000, Ct));
        Assert.Equal(expected.Length, log.Count);
        var previousHash = AuditChain.Genesis;
        for (var i = 0; i < log.Count; i++)
        {
            var actual = log[i];
            var x = expected[i];
            Assert.False(string.IsNullOrEmpty(actual.Id));
            var draft = new AuditEvent
            {
                Id = actual.Id,
                Time = x.Time,
                Principal = x.Principal,
                Action = x.Action,
                ResourceName = x.ResourceName,
                Before = x.Before,
                After = x.After,
                Reason = x.Reason,
                RequestId = x.RequestId,
            };
            AssertSameContent(AuditChain.Seal(draft, i + 1, previousHash), actual);
            previousHash = actual.Hash;
        }
        Assert.Equal(log.Count, log.Select(e => e.Id).Distinct().Count());
    }

    protected async Task<List<AuditEvent>> ReadAuditLogAsync()
    {
        var events = new List<AuditEvent>();
        await foreach (var e in Store.Audit.ReadAuditLogAsync(Ct)) events.Add(e);
        return events;
    }

    private async Task<List<long>> ListAuditSequencesAsync(AuditFilter filter) =>
        (await Store.Audit.ListAuditEventsAsync(filter, 0, 100, Ct)).Select(e => e.Sequence).ToList();

    protected static Review NewReview(string claimId, ReviewVerdict verdict) => new()
    {
        Id = ResourceNames.NewId(),
        ClaimId = claimId,
        Reviewer = "reviewer-1",
        Verdict = verdict,
        Explanation = $"Checked against the recording: {verdict}.",
        EvidenceUrls = [$"https://example.org/evidence/{Guid.NewGuid():N}"],
    };

    protected static ApiKey NewApiKey(string principal, Roles roles = Roles.Reader) => new()
    {
        Id = ResourceNames.NewId(),
        Principal = principal,
        Roles = roles,
        SecretHash = SHA256.HashData(RandomNumberGenerator.GetBytes(32)),
        Description = $"key of {principal}",
    };
}
