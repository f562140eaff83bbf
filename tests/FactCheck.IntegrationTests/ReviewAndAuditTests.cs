using FactCheck.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Data.Sqlite;

namespace FactCheck.IntegrationTests;

public sealed class ReviewAndAuditTests : IAsyncLifetime
{
    private readonly ServerFixture server = new();
    private AuditService.AuditServiceClient Audit => new(server.Channel);

    public Task InitializeAsync() => server.InitializeAsync();
    public Task DisposeAsync() => server.DisposeAsync();

    private async Task<Claim> NewClaimAsync()
    {
        var speaker = (await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker("Abbas Araqchi"), Reason = "seed" })).Name;
        return await server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker), Reason = "seed" });
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task ANewReviewSupersedesTheLastAndSetsTheClaimsStatus()
    {
        var claim = await NewClaimAsync();
        var first = await server.Claims.ReviewClaimAsync(new ReviewClaimRequest
        {
            Claim = claim.Name,
            Review = new Review { Verdict = Review.Types.Verdict.Accurate, Explanation = "Matches the Reuters wire copy", EvidenceUrls = { "https://www.reuters.com/x" } },
        });
        Assert.Equal(VerificationStatus.Verified, (await server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name })).VerificationStatus);
        Assert.Equal("test-admin", first.Reviewer);
        Assert.StartsWith(claim.Name + "/reviews/", first.Name);

        var second = await server.Claims.ReviewClaimAsync(new ReviewClaimRequest
        {
            Claim = claim.Name,
            Review = new Review { Verdict = Review.Types.Verdict.Misattributed, Explanation = "The ministry spokesman said it" },
            Reason = "new evidence",
        });
        Assert.Equal(first.Name, second.Supersedes);
        var stored = await server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name });
        Assert.Equal(VerificationStatus.Misattributed, stored.VerificationStatus);
        Assert.NotEqual(claim.Etag, stored.Etag);
        Assert.Equal([second, first], (await server.Claims.ListReviewsAsync(new ListReviewsRequest { Claim = claim.Name })).Reviews);

        // Our own review now says the speaker did not say it.
        var verdict = await server.Claims.VerifyAttributionAsync(new VerifyAttributionRequest { Text = claim.Text, Speaker = claim.Speaker });
        Assert.Equal(VerifyAttributionResponse.Types.Verdict.Misattributed, verdict.Verdict);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task InvalidReviewsAreRejected()
    {
        var claim = await NewClaimAsync();
        await RpcAssert.InvalidField("review.verdict", () => server.Claims.ReviewClaimAsync(new ReviewClaimRequest { Claim = claim.Name, Review = new Review { Explanation = "x" } }).ResponseAsync);
        await RpcAssert.InvalidField("review.explanation", () => server.Claims.ReviewClaimAsync(new ReviewClaimRequest { Claim = claim.Name, Review = new Review { Verdict = Review.Types.Verdict.False } }).ResponseAsync);
        await RpcAssert.InvalidField("review.evidence_urls[0]", () => server.Claims.ReviewClaimAsync(new ReviewClaimRequest { Claim = claim.Name, Review = new Review { Verdict = Review.Types.Verdict.False, Explanation = "x", EvidenceUrls = { "nope" } } }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => server.Claims.ReviewClaimAsync(new ReviewClaimRequest { Claim = "claims/missing0000000000", Review = new Review { Verdict = Review.Types.Verdict.False, Explanation = "x" } }).ResponseAsync);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task EveryMutationIsAuditedWithWhoWhenWhatAndWhy()
    {
        var claim = await NewClaimAsync();
        await server.Claims.UpdateClaimAsync(new UpdateClaimRequest
        {
            Claim = new Claim { Name = claim.Name, AttributionConfidence = 0.5 },
            UpdateMask = new FieldMask { Paths = { "attribution_confidence" } },
            Reason = "second source is weaker",
        });
        await server.Claims.DeleteClaimAsync(new DeleteClaimRequest { Name = claim.Name, Reason = "duplicate" });

        var events = (await Audit.ListAuditEventsAsync(new ListAuditEventsRequest { Resource = claim.Name })).Events;
        Assert.Equal(["claim.create", "claim.update", "claim.delete"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal("test-admin", e.Principal));
        Assert.Equal(["seed", "second source is weaker", "duplicate"], events.Select(e => e.Reason));
        Assert.Equal("", events[0].BeforeJson);
        Assert.Contains("\"attribution_confidence\":0.9", events[1].BeforeJson);
        Assert.Contains("\"attribution_confidence\":0.5", events[1].AfterJson);
        Assert.Equal("", events[2].AfterJson);
        Assert.Equal(events[0].Hash, events[1].PreviousHash);

        var verified = await Audit.VerifyAuditLogAsync(new VerifyAuditLogRequest());
        Assert.True(verified.Ok, verified.Problem);
        Assert.True(verified.EventsChecked >= 4);
    }

    [Theory(Timeout = TestTimeouts.Server)]
    [InlineData("edit", "UPDATE audit_events SET after = replace(after, '0.9', '0.1') WHERE seq = 2", 2)]
    [InlineData("delete", "DELETE FROM audit_events WHERE seq = 2", 3)]
    [InlineData("reorder", "UPDATE audit_events SET seq = -2 WHERE seq = 2; UPDATE audit_events SET seq = 2 WHERE seq = 3; UPDATE audit_events SET seq = 3 WHERE seq = -2", 2)]
    [InlineData("rewrite principal", "UPDATE audit_events SET principal = 'someone-else' WHERE seq = 2", 2)]
    public async Task TamperingWithTheStoredLogIsDetectedAtTheFirstBrokenEvent(string tampering, string sql, long firstBroken)
    {
        var claim = await NewClaimAsync();
        for (var i = 0; i < 3; i++)
            await server.Claims.UpdateClaimAsync(new UpdateClaimRequest { Claim = new Claim { Name = claim.Name, Context = $"edit {i}" }, UpdateMask = new FieldMask { Paths = { "context" } } });
        Assert.True((await Audit.VerifyAuditLogAsync(new VerifyAuditLogRequest())).Ok);

        await using (var connection = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            Assert.True(await command.ExecuteNonQueryAsync() > 0, $"the {tampering} changed nothing");
        }

        var result = await Audit.VerifyAuditLogAsync(new VerifyAuditLogRequest());
        Assert.False(result.Ok, $"{tampering} went unnoticed");
        Assert.Equal(firstBroken, result.FirstBrokenEvent.Sequence);
        Assert.NotEmpty(result.Problem);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task WatchStreamsNewEventsAndResumesAfterAGivenOne()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = Audit.WatchAuditEvents(new WatchAuditEventsRequest(), cancellationToken: cancel.Token);
        var claim = await NewClaimAsync();

        var seen = new List<AuditEvent>();
        while (seen.Count < 2 && await watch.ResponseStream.MoveNext(cancel.Token)) seen.Add(watch.ResponseStream.Current);
        Assert.Equal(["speaker.create", "claim.create"], seen.Select(e => e.Action));

        using var resumed = Audit.WatchAuditEvents(new WatchAuditEventsRequest { AfterSequence = seen[0].Sequence }, cancellationToken: cancel.Token);
        Assert.True(await resumed.ResponseStream.MoveNext(cancel.Token));
        Assert.Equal(seen[1], resumed.ResponseStream.Current);
        Assert.Equal(claim.Name, resumed.ResponseStream.Current.Resource);
    }
}
