using FactCheck.V1;
using Grpc.Core;

namespace FactCheck.IntegrationTests;

/// <summary>ImportClaims: batches streamed by the client, each stored whole or not at all.</summary>
public sealed class ImportTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly ClaimService.ClaimServiceClient claims = server.Claims;

    private async Task<string> NewSpeakerAsync() =>
        (await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() })).Name;

    private static ImportClaimsRequest Batch(string speaker, int size, string? requestId = null)
    {
        var batch = new ImportClaimsRequest { RequestId = requestId ?? "", Reason = "archive load" };
        for (var i = 0; i < size; i++) batch.Claims.Add(TestData.Claim(speaker));
        return batch;
    }

    /// <summary>Streams the batches and returns the response, or the error with the call's trailers.</summary>
    private async Task<(ImportClaimsResponse? Response, RpcException? Error, Metadata Trailers)> ImportAsync(params ImportClaimsRequest[] batches)
    {
        using var call = claims.ImportClaims();
        try
        {
            foreach (var batch in batches) await call.RequestStream.WriteAsync(batch);
            await call.RequestStream.CompleteAsync();
            var response = await call.ResponseAsync;
            return (response, null, call.GetTrailers());
        }
        catch (RpcException e)
        {
            return (null, e, e.Trailers);
        }
    }

    private async Task<List<Claim>> ListBySpeakerAsync(string speaker) =>
        [.. (await claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker, PageSize = 1000 })).Claims];

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task ImportedClaimsAreStoredAsCreatedClaimsWithOneAuditEventEach()
    {
        var speaker = await NewSpeakerAsync();
        var first = Batch(speaker, 3);
        var second = Batch(speaker, 2);

        var (response, error, trailers) = await ImportAsync(first, second);

        Assert.Null(error);
        Assert.Equal(new ImportClaimsResponse { ImportedCount = 5, BatchCount = 2 }, response);
        Assert.Equal("5", trailers.GetValue("factcheck-imported-count"));
        var stored = await ListBySpeakerAsync(speaker);
        Assert.Equal(first.Claims.Concat(second.Claims).Select(c => c.Text).Order(), stored.Select(c => c.Text).Order());
        Assert.All(stored, c => Assert.Equal((VerificationStatus.Unverified, "Dawn", c.CreateTime), (c.VerificationStatus, c.Appearances[0].Publication, c.UpdateTime)));
        var audit = new AuditService.AuditServiceClient(server.Channel);
        foreach (var claim in stored)
        {
            var e = Assert.Single((await audit.ListAuditEventsAsync(new ListAuditEventsRequest { Resource = claim.Name })).Events);
            Assert.Equal(("claim.create", "archive load"), (e.Action, e.Reason));
        }
        Assert.True((await audit.VerifyAuditLogAsync(new VerifyAuditLogRequest())).Ok);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task ABadClaimFailsItsBatchNamingTheFieldAndKeepsTheBatchesBeforeIt()
    {
        var speaker = await NewSpeakerAsync();
        var bad = Batch(speaker, 3);
        bad.Claims[1].Text = "  ";
        bad.Claims[2].Speaker = "speakers/doesnotexist0000";

        var (response, error, trailers) = await ImportAsync(Batch(speaker, 2), bad, Batch(speaker, 4));

        Assert.Null(response);
        await RpcAssert.InvalidField("claims[1].text", () => Task.FromException(error!));
        Assert.Equal(("2", "1"), (trailers.GetValue("factcheck-imported-count"), trailers.GetValue("factcheck-batch-count")));
        Assert.Equal(2, (await ListBySpeakerAsync(speaker)).Count);

        bad.Claims[1].Text = "Now it has text";
        var (_, missingSpeaker, _) = await ImportAsync(bad);
        await RpcAssert.InvalidField("claims[2].speaker", () => Task.FromException(missingSpeaker!));
        Assert.Equal(2, (await ListBySpeakerAsync(speaker)).Count);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task ReplayingAnImportSkipsTheBatchesAlreadyStored()
    {
        var speaker = await NewSpeakerAsync();
        var batches = Enumerable.Range(0, 3).Select(i => Batch(speaker, 2, $"import-{Guid.NewGuid()}")).ToArray();
        await ImportAsync(batches[0]);

        var (response, error, _) = await ImportAsync(batches);
        var (_, reused, _) = await ImportAsync(Batch(speaker, 1, batches[1].RequestId));

        Assert.Null(error);
        Assert.Equal(new ImportClaimsResponse { ImportedCount = 4, BatchCount = 3, SkippedBatchCount = 1 }, response);
        Assert.Equal(6, (await ListBySpeakerAsync(speaker)).Count);
        Assert.Equal(StatusCode.AlreadyExists, reused!.StatusCode);
    }

    [Theory(Timeout = TestTimeouts.Server)]
    [InlineData(0)]
    [InlineData(5001)]
    public async Task ABatchHoldsOneToFiveThousandClaims(int size)
    {
        var speaker = await NewSpeakerAsync();

        var (_, error, _) = await ImportAsync(Batch(speaker, size));

        await RpcAssert.InvalidField("claims", () => Task.FromException(error!));
        Assert.Empty(await ListBySpeakerAsync(speaker));
    }
}
