using FactCheck.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace FactCheck.IntegrationTests;

public sealed class ClaimServiceTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly ClaimService.ClaimServiceClient claims = server.Claims;

    private async Task<string> NewSpeakerAsync(string? name = null) =>
        (await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker(name) })).Name;

    private async Task<Claim> NewClaimAsync(string speaker, string? text = null, Google.Type.Date? saidOn = null) =>
        await claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker, text, saidOn) });

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task CreatedClaimRoundTripsWithItsAppearance()
    {
        var speaker = await NewSpeakerAsync();
        var draft = TestData.Claim(speaker, "We are ready to start negotiating tomorrow");
        draft.Context = "Press conference in Turkiye";
        draft.LanguageCode = "en-gb";

        var created = await claims.CreateClaimAsync(new CreateClaimRequest { Claim = draft });
        var fetched = await claims.GetClaimAsync(new GetClaimRequest { Name = created.Name });

        Assert.Equal(created, fetched);
        Assert.Matches("^claims/[0-9a-z]{16}$", fetched.Name);
        Assert.Equal(speaker, fetched.Speaker);
        Assert.Equal("We are ready to start negotiating tomorrow", fetched.Text);
        Assert.Equal("en-GB", fetched.LanguageCode);
        Assert.Equal(VerificationStatus.Unverified, fetched.VerificationStatus);
        Assert.Equal(0.9, fetched.AttributionConfidence);
        var appearance = Assert.Single(fetched.Appearances);
        Assert.True(appearance.FirstAppearance);
        Assert.Equal(draft.Appearances[0].Url, appearance.Url);
        Assert.Equal(["AFP"], appearance.CreditedOutlets);
        Assert.Equal(draft.Appearances[0].PublishTime, appearance.PublishTime);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task UnnamedSourceClaimsNeedNoSpeakerButNeedAnAttribution()
    {
        var draft = TestData.Claim("", "Over 300 fighters crossed late on Sunday using a dirt road");
        draft.AttributionKind = AttributionKind.UnnamedSource;
        await RpcAssert.InvalidField("claim.attributed_to", () => claims.CreateClaimAsync(new CreateClaimRequest { Claim = draft }).ResponseAsync);

        draft.AttributedTo = "two Iraqi security sources";
        var created = await claims.CreateClaimAsync(new CreateClaimRequest { Claim = draft });
        Assert.Equal("", created.Speaker);
        Assert.Equal("two Iraqi security sources", created.AttributedTo);

        draft.AttributionKind = AttributionKind.Paraphrase;
        await RpcAssert.InvalidField("claim.speaker", () => claims.CreateClaimAsync(new CreateClaimRequest { Claim = draft }).ResponseAsync);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task RetriedCreateWithTheSameRequestIdCreatesOneClaim()
    {
        var speaker = await NewSpeakerAsync();
        var request = new CreateClaimRequest { Claim = TestData.Claim(speaker), RequestId = Guid.NewGuid().ToString() };

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => claims.CreateClaimAsync(request).ResponseAsync));

        Assert.Single(results.Select(r => r.Name).Distinct());
        var listed = await claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker });
        Assert.Single(listed.Claims);

        request.Claim.Text = "A different statement";
        await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => claims.CreateClaimAsync(request).ResponseAsync);
        await RpcAssert.InvalidField("request_id",
            () => claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker), RequestId = new string('r', 129) }).ResponseAsync);
    }

    public static TheoryData<string, Action<Claim>> InvalidClaims => new()
    {
        { "claim.text", c => c.Text = "" },
        { "claim.text", c => c.Text = new string('a', 10_001) },
        { "claim.text", c => c.Text = "nul \0 inside" },
        { "claim.appearances[0].title", c => c.Appearances[0].Title = "\0" },
        { "claim.attribution_confidence", c => c.AttributionConfidence = 1.5 },
        { "claim.attribution_confidence", c => c.AttributionConfidence = -0.1 },
        { "claim.attribution_confidence", c => c.AttributionConfidence = double.NaN },
        { "claim.attribution_confidence", c => c.ClearAttributionConfidence() },
        { "claim.speaker", c => c.Speaker = "speakers/unknown000000000" },
        { "claim.speaker", c => c.Speaker = "people/123" },
        { "claim.appearances[0].url", c => c.Appearances[0].Url = "ftp://example.com/x" },
        { "claim.appearances[0].url", c => c.Appearances[0].Url = "not a url" },
        { "claim.appearances[0].publication", c => c.Appearances[0].Publication = "" },
        { "claim.appearances", c => c.Appearances.Clear() },
        { "claim.language_code", c => c.LanguageCode = "english!" },
        { "claim.language_code", c => c.LanguageCode = "" },
        { "claim.attribution_kind", c => c.AttributionKind = AttributionKind.Unspecified },
        { "claim.said_on", c => c.SaidOn = TestData.Date(2024, 13, 1) },
        { "claim.said_on", c => c.SaidOn = TestData.Date(2999, 1, 1) },
        { "claim.verification_status", c => c.VerificationStatus = VerificationStatus.Verified },
    };

    [Theory(Timeout = TestTimeouts.Server)]
    [MemberData(nameof(InvalidClaims))]
    public async Task InvalidClaimsAreRejectedNamingTheField(string field, Action<Claim> spoil)
    {
        var claim = TestData.Claim(await NewSpeakerAsync());
        spoil(claim);
        await RpcAssert.InvalidField(field, () => claims.CreateClaimAsync(new CreateClaimRequest { Claim = claim }).ResponseAsync);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task BatchGetReturnsClaimsInRequestOrderAndFailsOnAnyMissing()
    {
        var speaker = await NewSpeakerAsync();
        var a = await NewClaimAsync(speaker);
        var b = await NewClaimAsync(speaker);

        var batch = await claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { b.Name, a.Name } });
        Assert.Equal([b.Name, a.Name], batch.Claims.Select(c => c.Name));

        await RpcAssert.FailsWith(StatusCode.NotFound, () => claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { a.Name, "claims/missing0000000000" } }).ResponseAsync);
        await RpcAssert.InvalidField("names[1]", () => claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { a.Name, "bogus" } }).ResponseAsync);
        await RpcAssert.InvalidField("names", () => claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { Enumerable.Repeat(a.Name, 1001) } }).ResponseAsync);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task ListFiltersBySpeakerPublicationDatesStatusAndKindNewestFirst()
    {
        var speaker = await NewSpeakerAsync();
        var older = await NewClaimAsync(speaker, saidOn: TestData.Date(2024, 11, 30));
        var newer = await NewClaimAsync(speaker, saidOn: TestData.Date(2024, 12, 2));
        var paraphrase = TestData.Claim(speaker, saidOn: TestData.Date(2024, 12, 1));
        paraphrase.AttributionKind = AttributionKind.Paraphrase;
        paraphrase.Appearances[0].Publication = "Reuters";
        var middle = await claims.CreateClaimAsync(new CreateClaimRequest { Claim = paraphrase });
        await claims.ReviewClaimAsync(new ReviewClaimRequest
        {
            Claim = middle.Name,
            Review = new Review { Verdict = Review.Types.Verdict.Accurate, Explanation = "Checked against the wire copy" },
        });

        async Task<string[]> List(ListClaimsRequest request)
        {
            request.Speaker = speaker;
            return (await claims.ListClaimsAsync(request)).Claims.Select(c => c.Name).ToArray();
        }

        Assert.Equal([newer.Name, middle.Name, older.Name], await List(new ListClaimsRequest()));
        Assert.Equal([middle.Name], await List(new ListClaimsRequest { Publication = "reuters" }));
        Assert.Equal([newer.Name, older.Name], await List(new ListClaimsRequest { Publication = "DAWN" }));
        Assert.Equal([newer.Name, middle.Name], await List(new ListClaimsRequest { SaidOnOrAfter = TestData.Date(2024, 12, 1) }));
        Assert.Equal([middle.Name, older.Name], await List(new ListClaimsRequest { SaidOnOrBefore = TestData.Date(2024, 12, 1) }));
        Assert.Equal([middle.Name], await List(new ListClaimsRequest { VerificationStatus = VerificationStatus.Verified }));
        Assert.Equal([newer.Name, older.Name], await List(new ListClaimsRequest { AttributionKind = AttributionKind.DirectQuote }));
        await RpcAssert.InvalidField("said_on_or_before", () => claims.ListClaimsAsync(new ListClaimsRequest { SaidOnOrAfter = TestData.Date(2024, 12, 2), SaidOnOrBefore = TestData.Date(2024, 12, 1) }).ResponseAsync);
        await RpcAssert.InvalidField("verification_status", () => claims.ListClaimsAsync(new ListClaimsRequest { VerificationStatus = (VerificationStatus)42 }).ResponseAsync);
        await RpcAssert.InvalidField("attribution_kind", () => claims.ListClaimsAsync(new ListClaimsRequest { AttributionKind = (AttributionKind)42 }).ResponseAsync);
        await RpcAssert.InvalidField("publication", () => claims.ListClaimsAsync(new ListClaimsRequest { Publication = new string('p', 300) }).ResponseAsync);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task UpdateAppliesTheMaskAndEnforcesEtags()
    {
        var speaker = await NewSpeakerAsync();
        var created = await NewClaimAsync(speaker);
        var patch = new Claim { Name = created.Name, Etag = created.Etag, AttributionConfidence = 0.4, Text = "not applied" };

        var updated = await claims.UpdateClaimAsync(new UpdateClaimRequest { Claim = patch, UpdateMask = new FieldMask { Paths = { "attribution_confidence" } } });

        Assert.Equal(0.4, updated.AttributionConfidence);
        Assert.Equal(created.Text, updated.Text);
        Assert.NotEqual(created.Etag, updated.Etag);
        Assert.True(updated.UpdateTime.ToDateTimeOffset() >= created.UpdateTime.ToDateTimeOffset());
        await RpcAssert.FailsWith(StatusCode.Aborted, () => claims.UpdateClaimAsync(new UpdateClaimRequest { Claim = patch, UpdateMask = new FieldMask { Paths = { "attribution_confidence" } } }).ResponseAsync);
        await RpcAssert.InvalidField("update_mask", () => claims.UpdateClaimAsync(new UpdateClaimRequest { Claim = patch, UpdateMask = new FieldMask { Paths = { "etag" } } }).ResponseAsync);
        await RpcAssert.InvalidField("claim.text", () => claims.UpdateClaimAsync(new UpdateClaimRequest { Claim = new Claim { Name = created.Name, Text = " " }, UpdateMask = new FieldMask { Paths = { "text" } } }).ResponseAsync);

        var stored = await claims.GetClaimAsync(new GetClaimRequest { Name = created.Name });
        Assert.Equal(updated, stored);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task ConcurrentUpdatesWithTheSameEtagHaveExactlyOneWinner()
    {
        var created = await NewClaimAsync(await NewSpeakerAsync());
        var attempts = Enumerable.Range(0, 6).Select(async i =>
        {
            try
            {
                await claims.UpdateClaimAsync(new UpdateClaimRequest
                {
                    Claim = new Claim { Name = created.Name, Etag = created.Etag, Context = $"writer {i}" },
                    UpdateMask = new FieldMask { Paths = { "context" } },
                });
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Aborted)
            {
                return false;
            }
        });
        Assert.Equal(1, (await Task.WhenAll(attempts)).Count(won => won));
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task DeletedClaimsDisappearFromGetListAndSearch()
    {
        var speaker = await NewSpeakerAsync();
        var word = "zanzibarite" + Guid.NewGuid().ToString("N")[..6];
        var claim = await NewClaimAsync(speaker, $"The {word} statement");

        await RpcAssert.FailsWith(StatusCode.Aborted, () => claims.DeleteClaimAsync(new DeleteClaimRequest { Name = claim.Name, Etag = "\"999\"" }).ResponseAsync);
        await claims.DeleteClaimAsync(new DeleteClaimRequest { Name = claim.Name, Etag = claim.Etag });

        await RpcAssert.FailsWith(StatusCode.NotFound, () => claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name }).ResponseAsync);
        Assert.Empty((await claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker })).Claims);
        Assert.Empty((await claims.SearchClaimsAsync(new SearchClaimsRequest { Query = word })).Results);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => claims.DeleteClaimAsync(new DeleteClaimRequest { Name = claim.Name }).ResponseAsync);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task AddAppearanceKeepsOneClaimAndMarksTheEarliestAsFirst()
    {
        var claim = await NewClaimAsync(await NewSpeakerAsync());
        var wire = new Appearance
        {
            Url = "https://www.reuters.com/world/middle-east/iraqi-fighters-syria-2024-12-02/",
            Publication = "Reuters",
            PublishTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 12, 2, 18, 0, 0, TimeSpan.Zero)),
            QuotedSentence = "Resistance groups will help and Iran will provide any support needed, Araqchi said.",
        };

        var updated = await claims.AddAppearanceAsync(new AddAppearanceRequest { Claim = claim.Name, Appearance = wire });

        Assert.Equal(2, updated.Appearances.Count);
        Assert.Equal(["Reuters"], updated.Appearances.Where(a => a.FirstAppearance).Select(a => a.Publication));
        await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => claims.AddAppearanceAsync(new AddAppearanceRequest { Claim = claim.Name, Appearance = wire }).ResponseAsync);
        await RpcAssert.InvalidField("appearance.url", () => claims.AddAppearanceAsync(new AddAppearanceRequest { Claim = claim.Name, Appearance = new Appearance { Publication = "X" } }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => claims.AddAppearanceAsync(new AddAppearanceRequest { Claim = "claims/missing0000000000", Appearance = wire }).ResponseAsync);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task SearchFindsClaimsByWordsIgnoringCaseAndDiacriticsBestFirst()
    {
        var speaker = await NewSpeakerAsync();
        var tag = "qorvex" + Guid.NewGuid().ToString("N")[..6];
        var strong = await NewClaimAsync(speaker, $"{tag} {tag} reinforcements were sent to the front lines of {tag}");
        var weak = await NewClaimAsync(speaker, $"Fresh reinforcements, said a source, and {tag} was mentioned once in a much longer sentence about many other things entirely");
        await NewClaimAsync(speaker, "Nothing relevant here");

        var results = await claims.SearchClaimsAsync(new SearchClaimsRequest { Query = $"REINFORCEMENTS {tag.ToUpperInvariant()}" });
        Assert.Equal([strong.Name, weak.Name], results.Results.Select(r => r.Claim.Name));
        Assert.True(results.Results[0].Relevance > results.Results[1].Relevance);

        var accented = await NewClaimAsync(speaker, $"Türkiye {tag} statement");
        Assert.Contains(accented.Name, (await claims.SearchClaimsAsync(new SearchClaimsRequest { Query = $"turkiye {tag}" })).Results.Select(r => r.Claim.Name));
        await RpcAssert.InvalidField("query", () => claims.SearchClaimsAsync(new SearchClaimsRequest { Query = "" }).ResponseAsync);
        await RpcAssert.InvalidField("query", () => claims.SearchClaimsAsync(new SearchClaimsRequest { Query = "\"*)(" }).ResponseAsync);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task OversizedRequestsAreRefusedWithoutCrashing()
    {
        var claim = TestData.Claim(await NewSpeakerAsync(), new string('a', 5 * 1024 * 1024));
        var e = await Assert.ThrowsAsync<RpcException>(() => claims.CreateClaimAsync(new CreateClaimRequest { Claim = claim }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
    }
}
