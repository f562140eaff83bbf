using FactCheck.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace FactCheck.IntegrationTests;

public sealed class SpeakerServiceTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly SpeakerService.SpeakerServiceClient speakers = server.Speakers;

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task CreatedSpeakerCanBeReadBackWithAllFields()
    {
        var draft = TestData.Speaker("Abbás Araqchi");
        draft.Aliases.Add("Abbas Araghchi");
        draft.Roles.Add(new Role { Title = "Foreign Minister", Organization = "Iran", StartDate = TestData.Date(2024, 8, 21) });
        draft.WikidataId = "Q" + Random.Shared.Next(100_000_000, 999_999_999);
        draft.Description = "Iranian diplomat";

        var created = await speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = draft });
        var fetched = await speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = created.Name });

        Assert.Matches("^speakers/[0-9a-z]{16}$", created.Name);
        Assert.Equal(created, fetched);
        Assert.Equal("Abbás Araqchi", fetched.DisplayName);
        Assert.Equal(["Abbas Araghchi"], fetched.Aliases);
        Assert.Equal(TestData.Date(2024, 8, 21), fetched.Roles.Single().StartDate);
        Assert.Null(fetched.Roles.Single().EndDate);
        Assert.Equal(draft.WikidataId, fetched.WikidataId);
        Assert.NotEmpty(fetched.Etag);
        Assert.Equal(fetched.CreateTime, fetched.UpdateTime);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task RetriedCreateWithTheSameRequestIdReturnsTheFirstSpeaker()
    {
        var request = new CreateSpeakerRequest { Speaker = TestData.Speaker(), RequestId = Guid.NewGuid().ToString() };
        var first = await speakers.CreateSpeakerAsync(request);
        var second = await speakers.CreateSpeakerAsync(request);
        Assert.Equal(first.Name, second.Name);

        request.Speaker.DisplayName = "Somebody else";
        await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => speakers.CreateSpeakerAsync(request).ResponseAsync);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task DuplicateWikidataIdIsRejected()
    {
        var qid = "Q" + Random.Shared.Next(100_000_000, 999_999_999);
        var first = TestData.Speaker();
        first.WikidataId = qid;
        await speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = first });
        var second = TestData.Speaker();
        second.WikidataId = qid;
        await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = second }).ResponseAsync);
    }

    [Theory(Timeout = TestTimeouts.Server)]
    [InlineData("speaker.display_name")]
    [InlineData("speaker.wikidata_id")]
    [InlineData("speaker.roles[0].end_date")]
    [InlineData("speaker.roles[0].start_date")]
    [InlineData("speaker.aliases[0]")]
    public async Task InvalidSpeakerFieldsAreNamedInTheError(string field)
    {
        var speaker = TestData.Speaker();
        switch (field)
        {
            case "speaker.display_name": speaker.DisplayName = "   "; break;
            case "speaker.wikidata_id": speaker.WikidataId = "wikidata:42"; break;
            case "speaker.roles[0].end_date":
                speaker.Roles.Add(new Role { Title = "Minister", StartDate = TestData.Date(2024, 1, 2), EndDate = TestData.Date(2023, 1, 1) });
                break;
            case "speaker.roles[0].start_date":
                speaker.Roles.Add(new Role { Title = "Minister", StartDate = TestData.Date(2024, 2, 30) });
                break;
            case "speaker.aliases[0]": speaker.Aliases.Add(new string('x', 201)); break;
        }
        await RpcAssert.InvalidField(field, () => speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = speaker }).ResponseAsync);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task MissingAndMalformedNamesAreDistinguished()
    {
        await RpcAssert.FailsWith(StatusCode.NotFound, () => speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = "speakers/doesnotexist0000" }).ResponseAsync);
        await RpcAssert.InvalidField("name", () => speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = "claims/abc" }).ResponseAsync);
        await RpcAssert.InvalidField("name", () => speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = "" }).ResponseAsync);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task UpdateChangesOnlyMaskedFieldsAndRejectsStaleEtags()
    {
        var draft = TestData.Speaker("Dmitry Peskov");
        draft.Description = "Kremlin spokesperson";
        var created = await speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = draft });

        var patch = new Speaker { Name = created.Name, Etag = created.Etag, DisplayName = "ignored", Aliases = { "Dmitri Peskov" } };
        var updated = await speakers.UpdateSpeakerAsync(new UpdateSpeakerRequest { Speaker = patch, UpdateMask = new FieldMask { Paths = { "aliases" } } });

        Assert.Equal("Dmitry Peskov", updated.DisplayName);
        Assert.Equal("Kremlin spokesperson", updated.Description);
        Assert.Equal(["Dmitri Peskov"], updated.Aliases);
        Assert.NotEqual(created.Etag, updated.Etag);
        Assert.Equal(created.CreateTime, updated.CreateTime);

        // The old etag is stale now.
        await RpcAssert.FailsWith(StatusCode.Aborted, () => speakers.UpdateSpeakerAsync(new UpdateSpeakerRequest { Speaker = patch, UpdateMask = new FieldMask { Paths = { "aliases" } } }).ResponseAsync);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task UpdateRejectsUnknownAndMissingMasks()
    {
        var created = await speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() });
        var patch = new Speaker { Name = created.Name };
        await RpcAssert.InvalidField("update_mask", () => speakers.UpdateSpeakerAsync(new UpdateSpeakerRequest { Speaker = patch, UpdateMask = new FieldMask { Paths = { "create_time" } } }).ResponseAsync);
        await RpcAssert.InvalidField("update_mask", () => speakers.UpdateSpeakerAsync(new UpdateSpeakerRequest { Speaker = patch }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => speakers.UpdateSpeakerAsync(new UpdateSpeakerRequest { Speaker = new Speaker { Name = "speakers/nobody00000000000" }, UpdateMask = new FieldMask { Paths = { "description" } } }).ResponseAsync);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task ListPagesThroughEverySpeakerOnce()
    {
        var created = new HashSet<string>();
        for (var i = 0; i < 23; i++)
            created.Add((await speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() })).Name);

        var seen = new List<string>();
        var token = "";
        do
        {
            var page = await speakers.ListSpeakersAsync(new ListSpeakersRequest { PageSize = 5, PageToken = token });
            Assert.True(page.Speakers.Count <= 5);
            seen.AddRange(page.Speakers.Select(s => s.Name));
            token = page.NextPageToken;
        } while (token != "");

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(seen.ToHashSet(), created);
        await RpcAssert.InvalidField("page_size", () => speakers.ListSpeakersAsync(new ListSpeakersRequest { PageSize = -1 }).ResponseAsync);
        await RpcAssert.InvalidField("page_token", () => speakers.ListSpeakersAsync(new ListSpeakersRequest { PageToken = "forged" }).ResponseAsync);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task ResolveRanksTheRightSpeakerForRealWorldMentions()
    {
        var araqchi = TestData.Speaker("Abbas Araqchi");
        araqchi.Aliases.Add("Abbas Araghchi");
        araqchi.Roles.Add(new Role { Title = "Foreign Minister", Organization = "Iran", StartDate = TestData.Date(2024, 8, 21) });
        var fidan = TestData.Speaker("Hakan Fidan");
        fidan.Roles.Add(new Role { Title = "Foreign Minister", Organization = "Turkiye", StartDate = TestData.Date(2023, 6, 4) });
        var assad = TestData.Speaker("Bashar al-Assad");
        var araqchiName = (await speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = araqchi })).Name;
        var fidanName = (await speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = fidan })).Name;
        var assadName = (await speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = assad })).Name;

        async Task<SpeakerCandidate> Top(string query) =>
            (await speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = query })).Candidates.First();

        var exact = await Top("abbas araqchi");
        Assert.Equal(araqchiName, exact.Speaker.Name);
        Assert.Equal(1.0, exact.Score);
        Assert.Equal(araqchiName, (await Top("Araghchi")).Speaker.Name);
        Assert.Equal(araqchiName, (await Top("ARAQCHI")).Speaker.Name);
        Assert.Equal(assadName, (await Top("President Bashar Al Assad")).Speaker.Name);
        Assert.Equal(fidanName, (await Top("Turkish Foreign Minister Hakan Fidan")).Speaker.Name);
        var role = await Top("Iranian Foreign Minister");
        Assert.Equal(araqchiName, role.Speaker.Name);
        Assert.Equal(MatchKind.Role, role.MatchKind);
        Assert.InRange(role.Score, 0.01, 0.99);

        Assert.Empty((await speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = "Zzyzx Qwerty" })).Candidates);
        await RpcAssert.InvalidField("query", () => speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = " " }).ResponseAsync);
    }
}
