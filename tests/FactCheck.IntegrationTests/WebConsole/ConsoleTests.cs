using System.Globalization;
using FactCheck.V1;

namespace FactCheck.IntegrationTests.WebConsole;

/// <summary>The auditors' console in a real browser against a real server seeded with the seed article.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleTests(ConsoleFixture console)
{
    private const int Timeout = 90_000;
    private const string SeedQuote = "resistance groups will help and Iran will provide any support needed";

    [Fact(Timeout = Timeout)]
    public Task AWrongKeyIsRefusedWithAReasonAndARightOneSignsInWithoutEnteringTheAddress() => Task.Run(() =>
    {
        using var page = console.Browser.Open(ConsoleFixture.ConsoleUrl(console.Server.HttpAddress, "/verify"));
        page.WaitForText("h1", "Sign in");
        Assert.Empty(page.UnlabelledControls());
        page.Type("#api-key", "fck_not-a-key");
        page.PressEnterIn("#api-key");
        page.WaitForText("[role=alert]", "Your API key was not accepted");
        Assert.Contains("unknown or revoked API key", page.WaitFor("[role=alert]").Text);
        Assert.Equal("api-key", page.Focused.GetAttribute("id"));
        Assert.Equal(true, page.Script("return document.getElementById('sign-out').hidden"));
        page.Screenshot("sign-in-refused");

        page.SignIn(ConsoleFixture.ReaderKey);
        page.WaitForText("h1", "Verify a quote");
        Assert.DoesNotContain("fck_", page.Url);
        Assert.Equal(ConsoleFixture.ReaderKey, page.Script("return sessionStorage.getItem('factcheck.console.apiKey')"));

        page.Click("#sign-out");
        page.WaitForText("h1", "Sign in");
        Assert.Null(page.Script("return sessionStorage.getItem('factcheck.console.apiKey')"));
    });

    [Fact(Timeout = Timeout)]
    public Task VerifyingASeedQuoteShowsTheVerdictTheMatchingRecordAndWhoSaidIt() => Task.Run(() =>
    {
        using var page = console.SignedIn(ConsoleFixture.ReaderKey, "/verify");
        page.Type("#verify-text", SeedQuote);
        page.Type("#verify-speaker", "Araghchi");
        page.Click("form button[type=submit]");
        page.WaitFor("#verify-result .verdict .badge[data-value=SUPPORTED]");
        Assert.Equal("Supported", page.WaitFor("#verify-result .verdict .badge").Text);
        page.WaitForText("#verify-result .verdict", "Abbas Araqchi");
        Assert.Equal("verify-result-heading", page.Focused.GetAttribute("id"));
        var match = page.WaitFor("#verify-matches li");
        Assert.Contains(SeedQuote, match.Text);
        Assert.Contains("Dawn", match.Text);
        Assert.Equal("Exact words", page.WaitFor("#verify-matches .badge[data-value=EXACT]").Text);
        Assert.Empty(page.UnlabelledControls());
        page.Screenshot("verify");

        // The same words put in another minister's mouth: misattributed, and the console names who said them.
        page.Type("#verify-speaker", "Hakan Fidan");
        page.Click("form button[type=submit]");
        page.WaitFor("#verify-result .verdict .badge[data-value=MISATTRIBUTED]");
        Assert.Contains("On record from", page.WaitForText("#verify-result .verdict", "Abbas Araqchi"));

        page.Resize(412, 915);
        page.WaitFor("#verify-result .verdict");
        page.Screenshot("verify-phone");
    });

    [Fact(Timeout = Timeout)]
    public Task ASpeakerFoundByNameShowsAliasesRolesAndPagesThroughTheirClaims() => Task.Run(() =>
    {
        using var page = console.SignedIn(ConsoleFixture.ReaderKey, "/speakers");
        page.Type("#speaker-query", "Araghchi");
        page.Click("form[role=search] button[type=submit]");
        page.Click("#speaker-candidates a");

        page.WaitForText("h1", "Abbas Araqchi");
        Assert.Contains("Seyed Abbas Araghchi", page.WaitFor("#speaker-aliases").Text);
        Assert.Contains("Foreign Minister, Iran since 21 Aug 2024", page.WaitFor("#speaker-roles").Text);
        var total = ConsoleFixture.ExtraClaims + 2;
        page.WaitForText(".list-status", "Page 1: 10 claims.");
        Assert.Equal(10, page.Texts("#claim-list > li").Count);
        Assert.Empty(page.UnlabelledControls());
        page.Screenshot("speaker");

        page.Click(".pager button:last-child");
        page.WaitForText(".list-status", $"Page 2: {total - 10} claims.");
        Assert.Equal("claims-heading", page.Focused.GetAttribute("id"));
        Assert.False(page.WaitFor(".pager button:last-child", _ => true).Enabled);
        // The oldest of the added claims closes the list, since lists run newest first.
        Assert.Contains("Statement 1 on the ministers' meeting in Doha", page.Texts("#claim-list > li").Last());

        page.Click(".pager button:first-child");
        page.WaitForText(".list-status", "Page 1: 10 claims.");

        // Filters narrow the list: Araqchi's seed quote is his only direct quote said in December.
        page.Choose("#filter-kind", "DIRECT_QUOTE");
        page.SetValue("#filter-from", "2024-12-01");
        page.Click(".filters button[type=submit]");
        page.WaitForText(".list-status", "Page 1: 1 claim.");
        Assert.Contains(SeedQuote, page.Texts("#claim-list > li").Single());
        Assert.Contains("from=2024-12-01", page.Url);
    });

    [Fact(Timeout = Timeout)]
    public async Task AReviewRecordedInTheConsoleAppearsInTheAuditorsLiveTail()
    {
        var claim = await SeedClaimAsync();
        await Task.Run(() =>
        {
            using var audit = console.SignedIn(ConsoleFixture.ReviewerKey, "/audit");
            audit.WaitForText(".tail-status", "Live: new events after #");
            audit.WaitFor("#audit-events li");

            using var review = console.SignedIn(ConsoleFixture.ReviewerKey, "/claims/" + claim.Name.Split('/')[1]);
            review.WaitForText("blockquote.claim-text", claim.Text);
            review.Choose("#review-verdict", "OUT_OF_CONTEXT");
            review.Type("#review-explanation", "The remark answered a question about Aleppo, not the wider war.");
            review.Type("#review-evidence", "https://www.dawn.com/news/iraqi-militias-to-reinforce-pro-assad-forces");
            review.Click("#review-form button[type=submit]");
            var recorded = review.WaitForText("#review-list li", ConsoleFixture.ReviewerPrincipal);
            Assert.Contains("Out of context", recorded);
            review.WaitFor("#claim-status .badge[data-value=DISPUTED]");
            Assert.Empty(review.UnlabelledControls());
            Assert.Empty(audit.UnlabelledControls());
            review.Screenshot("claim");

            var tailed = audit.WaitFor($"#tail-events li[data-action='review.create']", e => e.Text.Contains(claim.Name, StringComparison.Ordinal));
            Assert.Contains(ConsoleFixture.ReviewerPrincipal, tailed.Text);
            audit.WaitForText(".tail-status", "Live: ");
            audit.Screenshot("audit");
        });
    }

    [Fact(Timeout = Timeout)]
    public async Task AReaderIsToldWhichRoleItLacksToReviewOrReadTheAuditLog()
    {
        var claim = await SeedClaimAsync();
        await Task.Run(() =>
        {
            using var page = console.SignedIn(ConsoleFixture.ReaderKey, "/claims/" + claim.Name.Split('/')[1]);
            page.Type("#review-explanation", "An attempt without the reviewer role.");
            page.Click("#review-form button[type=submit]");
            var refusal = page.WaitForText("#review-form [role=alert]", "Your key is not allowed to review claims");
            Assert.Contains("lacks the reviewer role", refusal);
            Assert.Equal("alert", page.Focused.GetAttribute("role"));
            Assert.DoesNotContain(page.Texts("#review-list li"), text => text.Contains("newsroom-reader", StringComparison.Ordinal));
            // The relations panel works on this server (none recorded: it verifies by words only).
            page.WaitForText("#claim-relations", "No relations recorded");

            page.Go("/audit");
            page.WaitForText("[role=alert]", "lacks the auditor role");
        });
    }

    [Fact(Timeout = Timeout)]
    public async Task AClaimsRevisionsShowWhoChangedWhatWithProofsCheckedInTheBrowserAndTheClaimAsOfATime()
    {
        var claim = await SeedClaimAsync();
        // As of a whole second after the create (the picker has seconds), the update must not have happened yet.
        var asOf = claim.CreateTime.ToDateTime().AddSeconds(1);
        var wait = asOf.AddSeconds(0.5) - DateTime.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        var changed = claim.Clone();
        changed.AttributionConfidence = claim.AttributionConfidence > 0.5 ? 0.4 : 0.8;
        changed = await console.Server.Claims.UpdateClaimAsync(new UpdateClaimRequest
        {
            Claim = changed,
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "attribution_confidence" } },
            Reason = "A second outlet names the sources differently.",
        });
        await Task.Run(() =>
        {
            using var page = console.SignedIn(ConsoleFixture.ReaderKey, "/claims/" + claim.Name.Split('/')[1]);
            var update = page.WaitFor("#revision-list li[data-action='claim.update']");
            Assert.Contains("A second outlet names the sources differently.", update.Text);
            Assert.Contains("confidence", update.Text);
            page.WaitFor("#revision-list li[data-action='claim.update'] .proof[data-proof=ok]");
            page.WaitFor("#revision-list li[data-action='claim.create'] .proof[data-proof=ok]");
            Assert.Contains("inclusion proof was checked in this browser", page.WaitFor("#revision-list .proof").Text);

            // As it stood before the update, rebuilt from the log: the old confidence, not the new one.
            page.SetValue("#claim-as-of", asOf.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            page.Click("#claim-revisions form button[type=submit]");
            page.WaitForText("#claim-revisions blockquote.as-of", claim.Text);
            var confidenceThen = page.Script("return [...document.querySelectorAll('#claim-revisions [aria-live=polite] dt')]" +
                ".find(term => term.textContent.toLowerCase() === 'attribution confidence')?.nextElementSibling?.textContent");
            Assert.Equal(claim.AttributionConfidence.ToString(CultureInfo.InvariantCulture), confidenceThen);
            Assert.Empty(page.UnlabelledControls());
            page.Screenshot("claim-revisions");
        });
    }

    [Fact(Timeout = Timeout)]
    public async Task TheAuditLogChecksEachListedEventsProofAndTheCheckpointsSignatureAgainstThePinnedKey()
    {
        var verifierKey = (await new AuditService.AuditServiceClient(console.Server.Channel).GetCheckpointAsync(new GetCheckpointRequest { Name = "auditLog/checkpoint" })).VerifierKey;
        await Task.Run(() =>
        {
            using var page = console.SignedIn(ConsoleFixture.ReviewerKey, "/audit");
            page.WaitFor("#audit-events li .proof[data-proof=ok]");
            Assert.DoesNotContain(page.Texts("#audit-events .proof"), text => text.StartsWith("NOT", StringComparison.Ordinal));

            page.Type("#log-key", verifierKey);
            page.Click("#pin-key-form button[type=submit]");
            Assert.Contains("Signed by the pinned key", page.WaitFor("#signature-result [data-signature=ok]").Text);

            // Another log's key (same name, another key id) does not vouch for this checkpoint.
            var parts = verifierKey.Split('+', 3);
            page.Type("#log-key", $"{parts[0]}+00000000+{parts[2]}");
            page.Click("#pin-key-form button[type=submit]");
            page.WaitForText("#signature-result [data-signature=failed]", "no signature by the pinned key");
            Assert.Empty(page.UnlabelledControls());
            page.Screenshot("audit-checkpoint");
        });
    }

    /// <summary>A seed claim nobody has reviewed in this run yet (each test takes its own).</summary>
    private async Task<Claim> SeedClaimAsync()
    {
        var page = await console.Server.Claims.ListClaimsAsync(new ListClaimsRequest { PageSize = 100, AttributionKind = AttributionKind.UnnamedSource });
        return page.Claims[Interlocked.Increment(ref nextSeedClaim) % page.Claims.Count];
    }

    private static int nextSeedClaim;
}
