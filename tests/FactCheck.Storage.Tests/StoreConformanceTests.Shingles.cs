using FactCheck.Core.Reviews;
using FactCheck.Core.Storage;
using FactCheck.Core.Verification;

namespace FactCheck.Storage.Tests;

/// <summary>The quote shingle index: candidate claims for a quote, by the number of word-pair keys they share.</summary>
public abstract partial class StoreConformanceTests
{
    private const string FullQuote = "The central bank will raise interest rates again next month to fight stubborn inflation";

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Claims_sharing_more_shingles_come_first_with_the_number_shared_and_ties_go_to_the_newest()
    {
        var full = await CreateAsync(NewClaim(FullQuote + "."));
        var older = await CreateAsync(NewClaim("Pensions are safe, and we will raise interest rates only slowly."));
        var partial = await CreateAsync(NewClaim("Our central bank will raise interest rates again, officials said."));
        var newer = await CreateAsync(NewClaim("Pensions are safe, and we will raise interest rates only slowly."));
        await CreateAsync(NewClaim("The football season starts on Saturday."));
        var query = QuoteShingles.For(FullQuote);
        var sharedByPartial = Shared(query, partial.Text);
        var sharedByTies = Shared(query, older.Text);
        Assert.True(query.Count > sharedByPartial && sharedByPartial > sharedByTies && sharedByTies > 0,
            $"test texts: {query.Count} > {sharedByPartial} > {sharedByTies} > 0");

        var found = await Store.Search.FindClaimsByShinglesAsync(query, 10, Ct);

        Assert.Equal([(full.Id, query.Count), (partial.Id, sharedByPartial), (newer.Id, sharedByTies), (older.Id, sharedByTies)], found);
        Assert.Equal([(full.Id, query.Count), (partial.Id, sharedByPartial)], await Store.Search.FindClaimsByShinglesAsync(query, 2, Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Shingle_lookup_leaves_out_deleted_claims()
    {
        var kept = await CreateAsync(NewClaim(FullQuote + "."));
        var deleted = await CreateAsync(NewClaim(FullQuote + "!"));
        await Store.Claims.DeleteClaimAsync(deleted.Id, deleted.Version, Clock.GetUtcNow(), TestAudit, Ct);

        var found = await Store.Search.FindClaimsByShinglesAsync(QuoteShingles.For(FullQuote), 10, Ct);

        Assert.Equal([kept.Id], found.Select(f => f.ClaimId));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Shingle_lookup_follows_text_updates_and_survives_other_changes()
    {
        var claim = await CreateAsync(NewClaim("Negotiations with the rebels will resume in Geneva."));
        var oldQuery = QuoteShingles.For(claim.Text);
        const string newText = "Sanctions on steel imports remain in force until spring.";
        var newQuery = QuoteShingles.For(newText);

        await Store.Claims.UpdateClaimAsync(claim with { Text = newText }, claim.Version, TestAudit, Ct);

        Assert.Empty(await Store.Search.FindClaimsByShinglesAsync(oldQuery, 10, Ct));
        Assert.Equal([(claim.Id, newQuery.Count)], await Store.Search.FindClaimsByShinglesAsync(newQuery, 10, Ct));

        // Changes that leave the text alone keep the claim's keys.
        var (_, reviewed) = await Store.Reviews.AddReviewAsync(NewReview(claim.Id, ReviewVerdict.Accurate), TestAudit, Ct);
        await Store.Claims.UpdateClaimAsync(reviewed with { Context = "trade talks", Appearances = [NewAppearance("Dawn")] }, reviewed.Version, TestAudit, Ct);
        Assert.Equal([(claim.Id, newQuery.Count)], await Store.Search.FindClaimsByShinglesAsync(newQuery, 10, Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Shingle_lookup_with_no_keys_finds_nothing_and_with_thousands_of_keys_counts_only_the_shared_ones()
    {
        var claim = await CreateAsync(NewClaim(FullQuote + "."));
        var query = QuoteShingles.For(FullQuote);
        var random = new Random(5);
        var noise = Enumerable.Range(0, 3000).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)).Except(query);

        Assert.Empty(await Store.Search.FindClaimsByShinglesAsync([], 10, Ct));
        Assert.Equal([(claim.Id, query.Count)], await Store.Search.FindClaimsByShinglesAsync([.. noise, .. query], 10, Ct));
        Assert.Equal([(claim.Id, query.Count)], await Store.Search.FindClaimsByShinglesAsync([.. query, .. noise], 10, Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Shingles_of_a_retried_create_are_indexed_once()
    {
        var key = new IdempotencyKey("request-1", "fingerprint-1");
        var claim = await Store.Claims.CreateClaimAsync(NewClaim(FullQuote + "."), key, TestAudit, Ct);
        await Store.Claims.CreateClaimAsync(NewClaim(FullQuote + "."), key, TestAudit, Ct);

        Assert.Equal([(claim.Id, QuoteShingles.For(FullQuote).Count)], await Store.Search.FindClaimsByShinglesAsync(QuoteShingles.For(FullQuote), 10, Ct));
    }

    private static int Shared(IReadOnlyCollection<long> query, string text) => query.Intersect(QuoteShingles.For(text)).Count();

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_key_counts_only_its_newest_claims_so_an_old_source_is_found_by_its_rarer_keys()
    {
        const string common = "the foreign ministry said on monday";
        var total = QuoteShingles.MaxClaimsReadPerKey + 100;
        var claims = Enumerable.Range(0, total).Select(i => NewClaim($"{common} that harbour {i} reopens for grain ships")).ToList();
        foreach (var batch in claims.Chunk(500)) await Store.Claims.ImportClaimsAsync(batch, null, TestAudit, Ct);

        var byCommonKeys = await Store.Search.FindClaimsByShinglesAsync(QuoteShingles.For(common), total, Ct);
        var oldest = QuoteShingles.For(claims[0].Text);
        var bySource = await Store.Search.FindClaimsByShinglesAsync(oldest, 1, Ct);

        Assert.Equal(claims.TakeLast(QuoteShingles.MaxClaimsReadPerKey).Select(c => c.Id).Reverse(), byCommonKeys.Select(f => f.ClaimId));
        Assert.Equal(claims[0].Id, Assert.Single(bySource).ClaimId);
        Assert.True(bySource[0].Shared < oldest.Count, "the common keys no longer reach the oldest claim");
    }
}
