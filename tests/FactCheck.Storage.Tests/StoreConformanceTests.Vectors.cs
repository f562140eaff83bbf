using FactCheck.Core.Claims;
using FactCheck.Core.Semantics;
using FactCheck.Core.Storage;

namespace FactCheck.Storage.Tests;

/// <summary>Claim vectors, the embedding queue and the vector feed (<see cref="IClaimVectorStore"/>).</summary>
public abstract partial class StoreConformanceTests
{
    private const int VectorTimeout = 60_000;
    private static readonly EmbeddingModel ModelA = new("test-model", "1", 8);
    private static readonly EmbeddingModel ModelB = new("test-model", "2", 8);

    private static float[] UnitVector(int seed)
    {
        var random = new Random(seed);
        var vector = Enumerable.Range(0, 8).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        Vectors.Normalize(vector);
        return vector;
    }

    private async Task<long> KeyOf(Claim claim) => (await Store.Claims.GetKeyedClaimsAsync([claim.Id], [], Ct)).Single().Sequence;

    /// <summary>Leases what is queued and stores a vector for each claim leased; returns the claims' keys.</summary>
    private async Task<IReadOnlyList<long>> EmbedQueuedAsync(EmbeddingModel model, int limit = 100)
    {
        var leased = await Store.Vectors.LeaseQueuedAsync(limit, Clock.GetUtcNow().AddMinutes(1), Ct);
        return await Store.Vectors.SaveVectorsAsync(model, [.. leased.Select(t => new EmbeddedText(t.ClaimKey, t.Version, UnitVector((int)t.ClaimKey)))], Ct);
    }

    [Fact(Timeout = VectorTimeout)]
    public async Task New_claims_wait_in_the_queue_and_each_lease_hands_a_claim_to_one_worker_until_it_runs_out()
    {
        var first = await CreateAsync(NewClaim("First words."));
        Assert.True(await Store.Claims.ImportClaimsAsync([NewClaim("Second words."), NewClaim("Third words.")], null, TestAudit, Ct));
        Assert.Equal(3, await Store.Vectors.CountQueuedAsync(Ct));

        var one = await Store.Vectors.LeaseQueuedAsync(2, Clock.GetUtcNow().AddMinutes(2), Ct);
        var other = await Store.Vectors.LeaseQueuedAsync(2, Clock.GetUtcNow().AddMinutes(2), Ct);

        Assert.Equal(["First words.", "Second words."], one.Select(t => t.Text));
        Assert.Equal((first.Id, await KeyOf(first), 1L), (one[0].ClaimId, one[0].ClaimKey, one[0].Version));
        Assert.Equal(["Third words."], other.Select(t => t.Text));
        Assert.Empty(await Store.Vectors.LeaseQueuedAsync(10, Clock.GetUtcNow().AddMinutes(2), Ct));
        Assert.Equal(3, await Store.Vectors.CountQueuedAsync(Ct));

        // A worker that stopped: its lease runs out and the claims are free again.
        Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(3, (await Store.Vectors.LeaseQueuedAsync(10, Clock.GetUtcNow().AddMinutes(2), Ct)).Count);
    }

    [Fact(Timeout = VectorTimeout)]
    public async Task Stored_vectors_leave_the_queue_and_come_back_from_the_feed_in_commit_order_at_half_precision()
    {
        var claims = new[] { await CreateAsync(NewClaim("One.")), await CreateAsync(NewClaim("Two.")), await CreateAsync(NewClaim("Three.")) };
        Assert.False(await Store.Vectors.UseModelAsync(ModelA, Ct));

        var stored = await EmbedQueuedAsync(ModelA);

        var keys = new List<long>();
        foreach (var claim in claims) keys.Add(await KeyOf(claim));
        Assert.Equal(keys, stored);
        Assert.Equal(0, await Store.Vectors.CountQueuedAsync(Ct));
        Assert.Equal(3, await Store.Vectors.FeedPositionAsync(Ct));
        var changes = await Store.Vectors.ReadChangesAsync(ModelA, 0, 10, Ct);
        Assert.Equal([(1L, keys[0]), (2L, keys[1]), (3L, keys[2])], changes.Select(c => (c.Position, c.ClaimKey)));
        Assert.Equal([(3L, keys[2])], (await Store.Vectors.ReadChangesAsync(ModelA, 2, 10, Ct)).Select(c => (c.Position, c.ClaimKey)));
        Assert.Equal([keys[0]], (await Store.Vectors.ReadChangesAsync(ModelA, 0, 1, Ct)).Select(c => c.ClaimKey));
        var all = new List<VectorChange>();
        await foreach (var v in Store.Vectors.ReadVectorsAsync(ModelA, Ct)) all.Add(v);
        foreach (var v in all)
        {
            var expected = UnitVector((int)v.ClaimKey);
            Assert.InRange(Vectors.Cosine(expected, v.Vector!), 0.999, 1.001);
            Assert.All(expected.Zip(v.Vector!), pair => Assert.InRange(pair.Second - pair.First, -1e-3, 1e-3));
        }
        Assert.Equal(keys.Order(), all.Select(v => v.ClaimKey).Order());
    }

    [Fact(Timeout = VectorTimeout)]
    public async Task A_reworded_or_deleted_claim_leaves_the_feed_and_a_vector_of_text_it_no_longer_has_is_never_stored()
    {
        var reworded = await CreateAsync(NewClaim("Talks will resume in Geneva."));
        var deleted = await CreateAsync(NewClaim("The ceasefire holds."));
        await Store.Vectors.UseModelAsync(ModelA, Ct);
        await EmbedQueuedAsync(ModelA);
        var (rewordedKey, deletedKey) = (await KeyOf(reworded), await KeyOf(deleted));

        var updated = await Store.Claims.UpdateClaimAsync(reworded with { Text = "Talks will not resume in Geneva." }, reworded.Version, TestAudit, Ct);
        await Store.Claims.DeleteClaimAsync(deleted.Id, deleted.Version, Clock.GetUtcNow(), TestAudit, Ct);

        Assert.Equal([(3L, rewordedKey, true), (4L, deletedKey, true)],
            (await Store.Vectors.ReadChangesAsync(ModelA, 2, 10, Ct)).Select(c => (c.Position, c.ClaimKey, c.Vector is null)));
        await foreach (var v in Store.Vectors.ReadVectorsAsync(ModelA, Ct)) Assert.Fail($"claim {v.ClaimKey} still has a vector");
        var queued = Assert.Single(await Store.Vectors.LeaseQueuedAsync(10, Clock.GetUtcNow().AddMinutes(1), Ct));
        Assert.Equal((rewordedKey, updated.Version, updated.Text), (queued.ClaimKey, queued.Version, queued.Text));

        // Re-worded again while that text was being embedded: the vector of the old text is not stored.
        var again = await Store.Claims.UpdateClaimAsync(updated with { Text = "Talks resumed in Geneva." }, updated.Version, TestAudit, Ct);
        Assert.Empty(await Store.Vectors.SaveVectorsAsync(ModelA, [new EmbeddedText(rewordedKey, queued.Version, UnitVector(1))], Ct));
        Assert.Equal(1, await Store.Vectors.CountQueuedAsync(Ct));
        // Nor is a vector for a deleted claim.
        Assert.Empty(await Store.Vectors.SaveVectorsAsync(ModelA, [new EmbeddedText(deletedKey, deleted.Version, UnitVector(2))], Ct));
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal([rewordedKey], await EmbedQueuedAsync(ModelA));
        Assert.Equal(again.Version, (await Store.Claims.GetClaimAsync(reworded.Id, Ct))!.Version);
        Assert.Equal([(5L, rewordedKey, false)], (await Store.Vectors.ReadChangesAsync(ModelA, 4, 10, Ct)).Select(c => (c.Position, c.ClaimKey, c.Vector is null)));
    }

    [Fact(Timeout = VectorTimeout)]
    public async Task Changes_that_leave_the_text_alone_keep_the_vector()
    {
        var claim = await CreateAsync(NewClaim("Exports will grow."));
        await Store.Vectors.UseModelAsync(ModelA, Ct);
        await EmbedQueuedAsync(ModelA);

        await Store.Claims.UpdateClaimAsync(claim with { Context = "a press conference" }, claim.Version, TestAudit, Ct);

        Assert.Equal(0, await Store.Vectors.CountQueuedAsync(Ct));
        Assert.Empty(await Store.Vectors.ReadChangesAsync(ModelA, 1, 10, Ct));
    }

    [Fact(Timeout = VectorTimeout)]
    public async Task Another_model_queues_every_live_claim_again_and_the_old_models_vectors_count_as_removals()
    {
        await CreateAsync(NewClaim("One."));
        var deleted = await CreateAsync(NewClaim("Two."));
        await Store.Vectors.UseModelAsync(ModelA, Ct);
        await EmbedQueuedAsync(ModelA);
        await Store.Claims.DeleteClaimAsync(deleted.Id, deleted.Version, Clock.GetUtcNow(), TestAudit, Ct);

        Assert.True(await Store.Vectors.UseModelAsync(ModelB, Ct));
        Assert.False(await Store.Vectors.UseModelAsync(ModelB, Ct));

        Assert.Equal(1, await Store.Vectors.CountQueuedAsync(Ct));
        await foreach (var v in Store.Vectors.ReadVectorsAsync(ModelB, Ct)) Assert.Fail("model B has no vectors yet");
        Assert.All(await Store.Vectors.ReadChangesAsync(ModelB, 0, 10, Ct), c => Assert.Null(c.Vector));
        await EmbedQueuedAsync(ModelB);
        var last = (await Store.Vectors.ReadChangesAsync(ModelB, 0, 10, Ct))[^1];
        Assert.NotNull(last.Vector);
        Assert.Null((await Store.Vectors.ReadChangesAsync(ModelA, last.Position - 1, 10, Ct)).Single().Vector);
    }

    [Fact(Timeout = VectorTimeout)]
    public async Task Claims_are_found_by_id_and_by_key_in_one_read_each_once()
    {
        var a = await CreateAsync(NewClaim("Alpha."));
        var b = await CreateAsync(NewClaim("Beta."));
        var deleted = await CreateAsync(NewClaim("Gamma."));
        var (keyA, keyB, keyDeleted) = (await KeyOf(a), await KeyOf(b), await KeyOf(deleted));
        await Store.Claims.DeleteClaimAsync(deleted.Id, deleted.Version, Clock.GetUtcNow(), TestAudit, Ct);

        var found = await Store.Claims.GetKeyedClaimsAsync([a.Id, deleted.Id], [keyA, keyB, keyDeleted, 999_999], Ct);

        Assert.Equal([(a.Id, keyA), (b.Id, keyB)], found.Select(f => (f.Item.Id, f.Sequence)).OrderBy(f => f.Sequence));
        Assert.Empty(await Store.Claims.GetKeyedClaimsAsync([], [], Ct));
    }
}
