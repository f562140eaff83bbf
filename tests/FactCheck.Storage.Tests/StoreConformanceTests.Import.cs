using FactCheck.Core;
using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Errors;
using FactCheck.Core.Storage;
using FactCheck.Core.Validation;
using FactCheck.Core.Verification;

namespace FactCheck.Storage.Tests;

/// <summary>Bulk import: a batch of claims in one transaction, each as a single create would store it.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact(Timeout = TestTimeouts.Store)]
    public async Task An_imported_batch_stores_each_claim_as_a_create_would_with_one_audit_event_each_in_order()
    {
        var speaker = await CreateAsync(NewSpeaker("Abbas Araqchi"));
        var speakerTime = StoredNow();
        Clock.Advance(TimeSpan.FromSeconds(1));
        var batch = Enumerable.Range(0, 25).Select(i =>
            NewClaim($"Statement number {i} about the nuclear talks in Geneva", i % 2 == 0 ? speaker.Id : null, StartDay.AddDays(-i))
                with
            { Appearances = [NewAppearance("Dawn"), NewAppearance("IRNA")] }).ToList();
        var audit = new AuditContext("importer", AuditActions.ClaimCreate, "bulk load", "batch-1");

        Assert.True(await Store.Claims.ImportClaimsAsync(batch, null, audit, Ct));

        var expected = batch.Select(c => c with { CreateTime = StoredNow(), UpdateTime = StoredNow(), Version = 1 }).ToList();
        var stored = await Store.Claims.GetClaimsAsync(batch.Select(c => c.Id).ToList(), Ct);
        AssertSameContent(expected, stored.OrderBy(c => batch.FindIndex(b => b.Id == c.Id)).ToList());
        Assert.Equal(13, (await ListAsync(new ClaimFilter { SpeakerId = speaker.Id })).Count);
        Assert.Equal(25, (await Store.Search.SearchClaimsAsync(["geneva"], null, 0, 100, Ct)).Count);
        var quote = QuoteShingles.For(batch[7].Text);
        Assert.Equal((batch[7].Id, quote.Count), (await Store.Search.FindClaimsByShinglesAsync(quote, 1, Ct))[0]);
        await AssertAuditLogAsync([
            Expect(TestAudit, speaker.ResourceName, null, AuditSnapshots.Of(speaker), speakerTime),
            .. expected.Select(c => Expect(audit, c.ResourceName, null, AuditSnapshots.Of(c), StoredNow())),
        ]);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task An_imported_batch_takes_keys_after_the_claims_before_it_in_its_own_order_and_before_the_claims_after_it()
    {
        // A batch large enough for the bulk path (PostgreSQL takes its seqs from the identity's sequence up front).
        var earlier = await CreateAsync(NewClaim("Said first.", saidOn: StartDay));
        var batch = Enumerable.Range(0, 30).Select(i => NewClaim($"Imported statement {i}.", saidOn: StartDay)).ToList();
        await Store.Claims.ImportClaimsAsync(batch, null, TestAudit, Ct);
        var later = await CreateAsync(NewClaim("Said last.", saidOn: StartDay));

        // Claims of one day list newest key first.
        string[] expected = [later.Id, .. batch.Select(c => c.Id).Reverse(), earlier.Id];
        Assert.Equal(expected, await ListIdsAsync(new ClaimFilter()));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task An_import_naming_a_missing_speaker_is_not_found_and_stores_nothing_of_its_batch()
    {
        var speaker = await CreateAsync(NewSpeaker("Dmitry Peskov"));
        var missingSpeakerId = ResourceNames.NewId();
        var batch = new[] { NewClaim("Fine.", speaker.Id), NewClaim("Orphan.", missingSpeakerId), NewClaim("Also fine.") };

        var error = await Assert.ThrowsAsync<NotFoundException>(() => Store.Claims.ImportClaimsAsync(batch, null, TestAudit, Ct));

        Assert.Equal(ResourceNames.Speaker(missingSpeakerId), error.ResourceName);
        Assert.Empty(await ListAsync(new ClaimFilter()));
        Assert.Single(await ReadAuditLogAsync());
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_replayed_import_batch_writes_nothing_and_a_different_batch_under_its_request_id_fails()
    {
        var key = new IdempotencyKey("batch-7", "fingerprint-7");
        Assert.True(await Store.Claims.ImportClaimsAsync([NewClaim("One."), NewClaim("Two.")], key, TestAudit, Ct));

        var replayed = await Store.Claims.ImportClaimsAsync([NewClaim("One."), NewClaim("Two.")], key, TestAudit, Ct);
        var error = await Assert.ThrowsAsync<AlreadyExistsException>(
            () => Store.Claims.ImportClaimsAsync([NewClaim("Three.")], key with { Fingerprint = "fingerprint-8" }, TestAudit, Ct));
        var asCreate = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.Claims.CreateClaimAsync(NewClaim("One."), key, TestAudit, Ct));

        Assert.False(replayed);
        Assert.StartsWith(ResourceNames.ClaimImportsCollection + "/", error.ResourceName);
        Assert.StartsWith(ResourceNames.ClaimImportsCollection + "/", asCreate.ResourceName);
        Assert.Equal(2, (await ListAsync(new ClaimFilter())).Count);
        Assert.Equal(2, (await ReadAuditLogAsync()).Count);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Events_after_an_import_continue_its_chain()
    {
        await Store.Claims.ImportClaimsAsync([NewClaim("One."), NewClaim("Two."), NewClaim("Three.")], null, TestAudit, Ct);
        var importEvents = await ReadAuditLogAsync();

        var created = await CreateAsync(NewClaim("Four."));

        var log = await ReadAuditLogAsync();
        Assert.Equal(4, log.Count);
        Assert.Equal(log[2].Hash, log[3].PreviousHash);
        Assert.Equal(created.ResourceName, log[3].ResourceName);
        AssertSameContent(importEvents, log.Take(3).ToList());
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Search_ranks_only_the_newest_matches_up_to_the_window()
    {
        var old = NewClaim("Harbour tolls harbour tolls harbour tolls");
        await CreateAsync(old);
        var newer = Enumerable.Range(0, Limits.SearchWindow + 10).Select(i => NewClaim($"Report {i} on harbour tolls and the many other things in it")).ToList();
        foreach (var batch in newer.Chunk(1000)) await Store.Claims.ImportClaimsAsync(batch, null, TestAudit, Ct);

        var found = await Store.Search.SearchClaimsAsync(["harbour", "tolls"], null, 0, Limits.SearchWindow + 100, Ct);
        var lastPage = await Store.Search.SearchClaimsAsync(["harbour", "tolls"], null, Limits.SearchWindow - 1, 10, Ct);

        Assert.Equal(Limits.SearchWindow, found.Count);
        Assert.DoesNotContain(found, r => r.Claim.Id == old.Id || r.Claim.Id == newer[9].Id);
        Assert.Contains(found, r => r.Claim.Id == newer[10].Id);
        Assert.Single(lastPage);
    }
}
