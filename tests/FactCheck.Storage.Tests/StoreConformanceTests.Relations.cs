using FactCheck.Core;
using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Errors;
using FactCheck.Core.Relations;

namespace FactCheck.Storage.Tests;

/// <summary>Typed relations between claims (<see cref="Core.Storage.IClaimRelationStore"/>).</summary>
public abstract partial class StoreConformanceTests
{
    private ClaimRelation Suggestion(Claim subject, Claim related, RelationKind kind, double score = 0.9) => new()
    {
        Id = ResourceNames.NewId(),
        ClaimId = subject.Id,
        RelatedClaimId = related.Id,
        Kind = kind,
        Score = score,
        CreateTime = Clock.GetUtcNow(),
    };

    [Fact(Timeout = VectorTimeout)]
    public async Task Suggestions_are_stored_once_per_pair_and_kind_and_listed_from_either_claim()
    {
        var a = await CreateAsync(NewClaim("We will help."));
        var b = await CreateAsync(NewClaim("We will help, he said."));
        var c = await CreateAsync(NewClaim("We will not help."));
        var repeats = Suggestion(b, a, RelationKind.Repeats);
        var contradicts = Suggestion(c, a, RelationKind.Contradicts, 0.8);

        var stored = await Store.Relations.ReplaceSuggestionsAsync([await KeyOf(b), await KeyOf(c)],
            [repeats, Suggestion(b, a, RelationKind.Repeats), contradicts], Ct);

        Assert.Equal([repeats.Id, contradicts.Id], stored.Select(r => r.Id));
        var expected = repeats with { CreateTime = StoredNow(), Version = 1, State = RelationState.Suggested };
        AssertSameContent(expected, stored[0]);
        AssertSameContent(expected, await Store.Relations.GetRelationAsync(a.Id, repeats.Id, Ct));
        AssertSameContent(expected, await Store.Relations.GetRelationAsync(b.Id, repeats.Id, Ct));
        Assert.Null(await Store.Relations.GetRelationAsync(c.Id, repeats.Id, Ct));
        Assert.Equal([repeats.Id, contradicts.Id], (await Store.Relations.ListRelationsAsync(a.Id, null, 0, 10, Ct)).Select(r => r.Item.Id));
        Assert.Equal([contradicts.Id], (await Store.Relations.ListRelationsAsync(c.Id, null, 0, 10, Ct)).Select(r => r.Item.Id));
        var firstPage = await Store.Relations.ListRelationsAsync(a.Id, null, 0, 1, Ct);
        Assert.Equal([contradicts.Id], (await Store.Relations.ListRelationsAsync(a.Id, null, firstPage[0].Sequence, 10, Ct)).Select(r => r.Item.Id));
        Assert.Empty(await Store.Relations.ListRelationsAsync(a.Id, RelationState.Confirmed, 0, 10, Ct));
    }

    [Fact(Timeout = VectorTimeout)]
    public async Task A_reviewers_decision_is_versioned_and_audited_and_survives_fresh_suggestions()
    {
        var a = await CreateAsync(NewClaim("Exports will grow."));
        var b = await CreateAsync(NewClaim("Exports will grow this year."));
        var d = await CreateAsync(NewClaim("Exports will shrink."));
        var relation = (await Store.Relations.ReplaceSuggestionsAsync([await KeyOf(b)], [Suggestion(b, a, RelationKind.Repeats)], Ct)).Single();
        var open = (await Store.Relations.ReplaceSuggestionsAsync([await KeyOf(d)], [Suggestion(d, a, RelationKind.Contradicts)], Ct)).Single();
        var audit = new AuditContext("standards-desk", AuditActions.RelationConfirm, "checked the recordings");
        Clock.Advance(TimeSpan.FromMinutes(1));

        var confirmed = await Store.Relations.ReviewRelationAsync(relation with { State = RelationState.Confirmed, Reviewer = "standards-desk" }, 1, audit, Ct);

        Assert.Equal((RelationState.Confirmed, "standards-desk", StoredNow(), 2L), (confirmed.State, confirmed.Reviewer, confirmed.ReviewTime, confirmed.Version));
        AssertSameContent(confirmed, await Store.Relations.GetRelationAsync(a.Id, relation.Id, Ct));
        var events = await ReadAuditLogAsync();
        var e = events[^1];
        Assert.Equal((AuditActions.RelationConfirm, confirmed.ResourceName, AuditSnapshots.Of(relation), AuditSnapshots.Of(confirmed), "checked the recordings"),
            (e.Action, e.ResourceName, e.Before, e.After, e.Reason));
        await Assert.ThrowsAsync<VersionConflictException>(() =>
            Store.Relations.ReviewRelationAsync(relation with { State = RelationState.Rejected, Reviewer = "x" }, 1, audit, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() =>
            Store.Relations.ReviewRelationAsync(relation with { Id = "missing", State = RelationState.Rejected, Reviewer = "x" }, 1, audit, Ct));

        // A's relations suggested afresh: the decided one stays as decided, the open one is replaced.
        var fresh = await Store.Relations.ReplaceSuggestionsAsync([await KeyOf(a)],
            [Suggestion(b, a, RelationKind.Repeats), Suggestion(a, b, RelationKind.FragmentOf, 0.85)], Ct);

        Assert.Equal([RelationKind.FragmentOf], fresh.Select(r => r.Kind));
        var listed = (await Store.Relations.ListRelationsAsync(a.Id, null, 0, 10, Ct)).Select(r => r.Item).ToList();
        Assert.Equal([(relation.Id, RelationState.Confirmed), (fresh[0].Id, RelationState.Suggested)], listed.Select(r => (r.Id, r.State)));
        Assert.DoesNotContain(listed, r => r.Id == open.Id);
    }

    [Fact(Timeout = VectorTimeout)]
    public async Task Confirmed_relations_lead_from_the_claims_given_to_the_live_claims_at_their_other_end()
    {
        var a = await CreateAsync(NewClaim("The army withdrew."));
        var b = await CreateAsync(NewClaim("Troops pulled back."));
        var c = await CreateAsync(NewClaim("The army advanced."));
        var suggested = await Store.Relations.ReplaceSuggestionsAsync([await KeyOf(b), await KeyOf(c)],
            [Suggestion(b, a, RelationKind.ParaphraseOf), Suggestion(c, a, RelationKind.Contradicts)], Ct);
        var audit = new AuditContext("desk", AuditActions.RelationConfirm);
        var paraphrase = await Store.Relations.ReviewRelationAsync(suggested[0] with { State = RelationState.Confirmed, Reviewer = "desk" }, 1, audit, Ct);
        var (keyA, keyB) = (await KeyOf(a), await KeyOf(b));

        var fromA = await Store.Relations.ConfirmedRelationsAsync([keyA], Ct);
        var fromBoth = await Store.Relations.ConfirmedRelationsAsync([keyA, keyB], Ct);

        var link = Assert.Single(fromA);
        Assert.Equal((paraphrase.Id, b.Id, keyB, a.Id), (link.Relation.Id, link.Other.Item.Id, link.Other.Sequence, link.ViaClaimId));
        Assert.Equal(new[] { (a.Id, b.Id), (b.Id, a.Id) }.Order(), fromBoth.Select(l => (l.ViaClaimId, l.Other.Item.Id)).Order());

        // A deleted claim leads nowhere and is not listed.
        var deleted = await Store.Claims.GetClaimAsync(b.Id, Ct);
        await Store.Claims.DeleteClaimAsync(b.Id, deleted!.Version, Clock.GetUtcNow(), TestAudit, Ct);
        Assert.Empty(await Store.Relations.ConfirmedRelationsAsync([keyA], Ct));
        Assert.Equal([suggested[1].Id], (await Store.Relations.ListRelationsAsync(a.Id, null, 0, 10, Ct)).Select(r => r.Item.Id));
    }
}
