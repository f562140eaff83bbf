using System.Text.Json;
using FactCheck.V1;
using static FactCheck.IntegrationTests.CliProcess;

namespace FactCheck.IntegrationTests;

/// <summary>The factcheck CLI run as a process against a live server holding the seed article: verify, claims
/// add/review, the audit log, API keys, and the ClaimReview export and import.</summary>
public sealed class CliTests(VerificationTests.SeededServer seeded) : IClassFixture<VerificationTests.SeededServer>, IDisposable
{
    private const string ResistanceQuote = "resistance groups will help and Iran will provide any support needed";

    private readonly TempDirectory files = new();

    private ServerFixture Server => seeded.Server;

    public void Dispose() => files.Dispose();

    private Task<CliProcess.Result> Run(params string[] args) => CliProcess.RunAsync(Server.Address, args);

    /// <summary>Runs the CLI with --json, asserts its exit code and returns what it printed.</summary>
    private async Task<JsonElement> RunJson(int expectedExitCode, params string[] args)
    {
        var result = await Run([.. args, "--json"]);
        AssertExit(expectedExitCode, result);
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }

    private async Task<string> AddClaimAsync(string text) =>
        (await RunJson(0, "claims", "add", "--speaker", "Hakan Fidan", "--text", text, "--kind", "paraphrase",
            "--url", $"https://example.org/cli/{Guid.NewGuid():N}", "--publication", "Example Times", "--said-on", "2024-12-01",
            "--reason", "cli test")).GetProperty("name").GetString()!;

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task Verify_exits_0_when_supported_and_4_when_not()
    {
        var supported = await RunJson(0, "verify", ResistanceQuote, "--speaker", "Araghchi");
        Assert.Equal("SUPPORTED", supported.GetProperty("verdict").GetString());
        Assert.Equal("EXACT", supported.GetProperty("matches")[0].GetProperty("matchKind").GetString());
        Assert.Equal(ResistanceQuote, supported.GetProperty("matches")[0].GetProperty("claim").GetProperty("text").GetString());

        var misattributed = await RunJson(4, "verify", ResistanceQuote, "--speaker", "Hakan Fidan", "--said-on", "2024-12-02");
        Assert.Equal("MISATTRIBUTED", misattributed.GetProperty("verdict").GetString());
        Assert.Equal(supported.GetProperty("resolvedSpeaker").GetString(), misattributed.GetProperty("attributedSpeakers")[0].GetString());

        var fragment = await RunJson(4, "verify", "Iran will provide any support needed", "--speaker", "Araqchi");
        Assert.Equal("PARTIALLY_SUPPORTED", fragment.GetProperty("verdict").GetString());

        var notFound = await RunJson(4, "verify", "The moon is made of green cheese and everybody knows it", "--speaker", "Dmitry Peskov");
        Assert.Equal("NOT_FOUND", notFound.GetProperty("verdict").GetString());

        var human = await Run("verify", ResistanceQuote, "--speaker", "Hakan Fidan");
        AssertExit(4, human);
        Assert.Contains("MISATTRIBUTED", human.Output);
        Assert.Contains(ResistanceQuote, human.Output);

        AssertExit(2, await Run("verify", ResistanceQuote, "--speaker", "Araqchi", "--said-on", "2 December 2024"));
        AssertExit(2, await Run("verify", ResistanceQuote));
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task Claims_add_then_list_shows_the_claim()
    {
        var text = $"Turkiye wants a stable Syria ({Guid.NewGuid():N})";
        var name = await AddClaimAsync(text);

        var listed = await RunJson(0, "claims", "list", "--speaker", "Hakan Fidan", "--limit", "1000");
        var claim = listed.GetProperty("claims").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        Assert.Equal(text, claim.GetProperty("text").GetString());
        Assert.Equal("PARAPHRASE", claim.GetProperty("attributionKind").GetString());
        Assert.Equal("en", claim.GetProperty("languageCode").GetString());
        Assert.Equal(0.8, claim.GetProperty("attributionConfidence").GetDouble());

        var table = await Run("claims", "list", "--speaker", "Hakan Fidan", "--limit", "1000");
        AssertExit(0, table);
        Assert.Contains(name, table.Output);

        AssertExit(2, await Run("claims", "add", "--speaker", "Hakan Fidan", "--text", "x", "--kind", "rumour", "--url", "https://example.org", "--publication", "p"));
        var invalid = await Run("claims", "add", "--speaker", "Hakan Fidan", "--text", "x", "--kind", "direct-quote", "--url", "not a url", "--publication", "p");
        AssertExit(1, invalid);
        Assert.Contains("appearances[0].url", invalid.Error);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task A_review_is_listed_and_shows_in_the_audit_log()
    {
        var claim = await AddClaimAsync($"Words to review ({Guid.NewGuid():N})");

        var review = await RunJson(0, "claims", "review", claim, "--verdict", "misquoted", "--explanation", "The words differ from the video",
            "--evidence", "https://example.org/video", "--reason", "cli review test");
        var reviewName = review.GetProperty("name").GetString()!;
        Assert.StartsWith(claim + "/reviews/", reviewName);
        Assert.Equal("MISQUOTED", review.GetProperty("verdict").GetString());

        var reviews = await RunJson(0, "claims", "reviews", claim);
        Assert.Equal(reviewName, reviews.GetProperty("reviews")[0].GetProperty("name").GetString());

        var events = (await RunJson(0, "audit", "log", "--resource", reviewName)).GetProperty("events");
        var created = Assert.Single(events.EnumerateArray());
        Assert.Equal("review.create", created.GetProperty("action").GetString());
        Assert.Equal("cli review test", created.GetProperty("reason").GetString());
        Assert.Equal("test-admin", created.GetProperty("principal").GetString());

        var log = await Run("audit", "log", "--resource", claim);
        AssertExit(0, log);
        Assert.Contains("claim.create", log.Output);
        Assert.Contains("claim.update", log.Output);
        Assert.Contains("cli review test", log.Output);

        AssertExit(2, await Run("claims", "review", claim, "--verdict", "dubious", "--explanation", "x"));
        AssertExit(3, await Run("claims", "reviews", "claims/doesnotexist"));
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task Audit_verify_exits_0_on_an_intact_chain()
    {
        await AddClaimAsync($"Something to audit ({Guid.NewGuid():N})");
        var response = await RunJson(0, "audit", "verify");
        Assert.True(response.GetProperty("ok").GetBoolean());
        Assert.True(long.Parse(response.GetProperty("eventsChecked").GetString()!) > 0);

        var human = await Run("audit", "verify");
        AssertExit(0, human);
        Assert.StartsWith("ok:", human.Output);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task Keys_are_created_listed_and_revoked()
    {
        var principal = $"cli-test-{Guid.NewGuid():N}";
        var created = await RunJson(0, "keys", "create", "--principal", principal, "--role", "reader", "--role", "reviewer", "--description", "from the CLI test");
        var secret = created.GetProperty("secret").GetString()!;
        var key = created.GetProperty("apiKey");
        var name = key.GetProperty("name").GetString()!;
        Assert.Equal(["READER", "REVIEWER"], key.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Order());

        AssertExit(0, await CliProcess.RunWithKeyAsync(Server.Address, secret, "claims", "list"));
        var denied = await CliProcess.RunWithKeyAsync(Server.Address, secret, "keys", "list");
        AssertExit(1, denied);
        Assert.Contains("PermissionDenied", denied.Error);

        var listed = await RunJson(0, "keys", "list");
        var entry = listed.GetProperty("apiKeys").EnumerateArray().Single(k => k.GetProperty("name").GetString() == name);
        Assert.Equal(principal, entry.GetProperty("principal").GetString());
        Assert.False(entry.TryGetProperty("revokeTime", out _));

        var revoked = await RunJson(0, "keys", "revoke", name, "--reason", "cli test done");
        Assert.True(revoked.TryGetProperty("revokeTime", out _));

        var refused = await RunWithRevokedKeyAsync(secret);
        AssertExit(1, refused);
        Assert.Contains("Unauthenticated", refused.Error);

        AssertExit(2, await Run("keys", "create", "--principal", principal, "--role", "superuser"));
    }

    /// <summary>Revocation reaches every instance "within seconds"; retries until this one refuses the key.</summary>
    private async Task<CliProcess.Result> RunWithRevokedKeyAsync(string secret)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await CliProcess.RunWithKeyAsync(Server.Address, secret, "claims", "list");
            if (result.ExitCode != 0 || attempt == 20) return result;
            await Task.Delay(500);
        }
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task A_ClaimReview_export_imported_into_a_fresh_server_reproduces_the_reviewed_claims()
    {
        var verdicts = new Dictionary<string, (string Verdict, string Label, int Rating)>
        {
            [ResistanceQuote] = ("accurate", "Accurate", 5),
            ["Russia continues to support"] = ("out-of-context", "Out of context", 3),
            ["Warplanes had hit residential areas"] = ("unverifiable", "Unverifiable", 3),
            ["Over 300 fighters"] = ("misattributed", "Misattributed", 1), // an unnamed source: no author
        };
        var seededClaims = (await Server.Claims.ListClaimsAsync(new ListClaimsRequest { PageSize = 1000 })).Claims;
        foreach (var (start, verdict) in verdicts)
        {
            var claim = seededClaims.Single(c => c.Text.StartsWith(start, StringComparison.Ordinal));
            AssertExit(0, await Run("claims", "review", claim.Name, "--verdict", verdict.Verdict, "--explanation", $"Checked: {verdict.Label}"));
        }

        var feedPath = files.File("claimreviews.json");
        AssertExit(0, await Run("export", "--format", "claimreview", "--output", feedPath, "--site", "https://factcheck.example/reviews"));
        using var feed = JsonDocument.Parse(await File.ReadAllTextAsync(feedPath));
        var claimReviews = feed.RootElement.EnumerateArray().ToList();
        foreach (var (start, verdict) in verdicts)
        {
            var claimReview = claimReviews.Single(r => r.GetProperty("claimReviewed").GetString()!.StartsWith(start, StringComparison.Ordinal));
            Assert.Equal("https://schema.org", claimReview.GetProperty("@context").GetString());
            Assert.Equal("ClaimReview", claimReview.GetProperty("@type").GetString());
            Assert.StartsWith("https://factcheck.example/reviews/claims/", claimReview.GetProperty("url").GetString());
            Assert.Equal("FactCheck", claimReview.GetProperty("author").GetProperty("name").GetString());
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", claimReview.GetProperty("datePublished").GetString());
            var rating = claimReview.GetProperty("reviewRating");
            Assert.Equal(verdict.Label, rating.GetProperty("alternateName").GetString());
            Assert.Equal(verdict.Rating, rating.GetProperty("ratingValue").GetInt32());
            Assert.Equal(5, rating.GetProperty("bestRating").GetInt32());
            Assert.Equal(1, rating.GetProperty("worstRating").GetInt32());
            var item = claimReview.GetProperty("itemReviewed");
            Assert.Equal("Claim", item.GetProperty("@type").GetString());
            Assert.Equal("https://www.dawn.com/news/iraqi-militias-to-reinforce-pro-assad-forces",
                item.GetProperty("firstAppearance").GetProperty("url").GetString());
            Assert.Equal("Dawn", item.GetProperty("appearance")[0].GetProperty("publisher").GetProperty("name").GetString());
        }
        var resistance = claimReviews.Single(r => r.GetProperty("claimReviewed").GetString() == ResistanceQuote).GetProperty("itemReviewed");
        Assert.Equal("Person", resistance.GetProperty("author").GetProperty("@type").GetString());
        Assert.Equal("Abbas Araqchi", resistance.GetProperty("author").GetProperty("name").GetString());
        Assert.Equal("2024-12-02", resistance.GetProperty("datePublished").GetString());
        var expected = await ReviewedClaimsAsync(Server);
        Assert.Equal(claimReviews.Count, expected.Count);

        var second = new ServerFixture();
        await second.InitializeAsync();
        try
        {
            var first = await ImportJson(second, feedPath);
            Assert.Equal(claimReviews.Count, Count(first, "claims", "created"));
            Assert.Equal(claimReviews.Count, Count(first, "reviews", "created"));
            Assert.Equal(expected, await ReviewedClaimsAsync(second));

            var again = await ImportJson(second, feedPath);
            Assert.All(again.GetProperty("counts").EnumerateObject(), count => Assert.Equal(0, count.Value.GetProperty("created").GetInt32()));
            Assert.Equal(claimReviews.Count, Count(again, "claims", "reused"));

            // The same feed as JSON Lines is recognised as the same ClaimReviews.
            var linesPath = files.File("claimreviews.jsonl");
            await File.WriteAllLinesAsync(linesPath, claimReviews.Select(r => r.GetRawText().ReplaceLineEndings("")));
            var lines = await ImportJson(second, linesPath);
            Assert.All(lines.GetProperty("counts").EnumerateObject(), count => Assert.Equal(0, count.Value.GetProperty("created").GetInt32()));

            Assert.Equal(expected, await ReviewedClaimsAsync(second));
            Assert.Equal(claimReviews.Count, (await second.Claims.ListClaimsAsync(new ListClaimsRequest { PageSize = 1000 })).Claims.Count);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    private static async Task<JsonElement> ImportJson(ServerFixture server, string path)
    {
        var result = await CliProcess.RunAsync(server.Address, "import", path, "--json");
        AssertExit(0, result);
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }

    private static int Count(JsonElement summary, string collection, string outcome) =>
        summary.GetProperty("counts").GetProperty(collection).GetProperty(outcome).GetInt32();

    private sealed record ReviewedClaim(string Text, string Speaker, string AttributedTo, string SaidOn, string Appearances, Review.Types.Verdict Verdict);

    /// <summary>Every claim with a review, as what an export carries: text, speaker by name, attribution, day,
    /// appearances, and the current verdict.</summary>
    private static async Task<List<ReviewedClaim>> ReviewedClaimsAsync(ServerFixture server)
    {
        var reviewed = new List<ReviewedClaim>();
        foreach (var claim in (await server.Claims.ListClaimsAsync(new ListClaimsRequest { PageSize = 1000 })).Claims)
        {
            var review = (await server.Claims.ListReviewsAsync(new ListReviewsRequest { Claim = claim.Name, PageSize = 1 })).Reviews.FirstOrDefault();
            if (review is null) continue;
            var speaker = claim.Speaker == "" ? "" : (await server.Speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = claim.Speaker })).DisplayName;
            var appearances = string.Join(" | ", claim.Appearances.Select(a => $"{a.Url} {a.Publication} {a.Title} {a.PublishTime}").Order());
            reviewed.Add(new ReviewedClaim(claim.Text, speaker, claim.AttributedTo, $"{claim.SaidOn}", appearances, review.Verdict));
        }
        return [.. reviewed.OrderBy(c => c.Text, StringComparer.Ordinal)];
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task Importing_a_malformed_file_fails_with_a_message()
    {
        var broken = files.File("broken.json");
        await File.WriteAllTextAsync(broken, "{ \"source\": { \"url\": ");
        var result = await Run("import", broken);
        AssertExit(1, result);
        Assert.Contains("cannot read broken.json", result.Error);

        var incomplete = files.File("incomplete.json");
        await File.WriteAllTextAsync(incomplete, """[{ "@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "No url" }]""");
        result = await Run("import", incomplete);
        AssertExit(1, result);
        Assert.Contains("url must be", result.Error);
        Assert.Contains("0 created, 0 reused, 1 failed", result.Output);

        AssertExit(2, await Run("import", files.File("missing.json")));
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task Without_an_API_key_the_CLI_fails_unauthenticated()
    {
        var result = await CliProcess.RunWithKeyAsync(Server.Address, null, "claims", "list");
        AssertExit(1, result);
        Assert.Contains("Unauthenticated", result.Error);
        Assert.Contains("--api-key", result.Error);

        result = await CliProcess.RunWithKeyAsync(Server.Address, null, "import", CliProcess.SeedFile);
        AssertExit(1, result);
        Assert.Contains("Unauthenticated", result.Error);
    }
}
