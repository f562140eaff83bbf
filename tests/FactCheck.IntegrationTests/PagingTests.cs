using FactCheck.V1;
using Grpc.Core;

namespace FactCheck.IntegrationTests;

public sealed class PagingTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact(Timeout = TestTimeouts.Server)]
    public async Task PagingThroughHundredsOfClaimsWhileOthersAreInsertedSeesEachOnce()
    {
        var speaker = (await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() })).Name;
        // Many claims share a day so the cursor has to break ties by sequence, not just by date.
        var original = new HashSet<string>();
        foreach (var batch in Enumerable.Range(0, 300).Chunk(25))
        {
            var created = await Task.WhenAll(batch.Select(i => server.Claims.CreateClaimAsync(new CreateClaimRequest
            {
                Claim = TestData.Claim(speaker, saidOn: TestData.Date(2024, 11, 1 + i % 10)),
            }).ResponseAsync));
            original.UnionWith(created.Select(c => c.Name));
        }

        using var stopInserting = new CancellationTokenSource();
        var inserted = 0;
        var inserter = Task.Run(async () =>
        {
            while (!stopInserting.IsCancellationRequested)
            {
                // Both newer and older than the page being read, so inserts land before and after the cursor.
                var day = inserted % 2 == 0 ? TestData.Date(2024, 12, 1) : TestData.Date(2024, 10, 1);
                await server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker, saidOn: day) });
                inserted++;
            }
        });

        var seen = new List<Claim>();
        var token = "";
        do
        {
            var page = await server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker, PageSize = 37, PageToken = token });
            seen.AddRange(page.Claims);
            token = page.NextPageToken;
        } while (token != "");
        await stopInserting.CancelAsync();
        await inserter;

        var names = seen.Select(c => c.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Subset(names.ToHashSet(), original);
        Assert.True(inserted > 0, "the inserter never ran during paging");
        // Newest first, ties broken consistently: the said dates never go up.
        var days = seen.Select(c => new DateOnly(c.SaidOn.Year, c.SaidOn.Month, c.SaidOn.Day)).ToList();
        Assert.Equal(days.OrderByDescending(d => d), days);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task PageTokensAreBoundToTheirQueryAndCannotBeForged()
    {
        var speaker = (await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() })).Name;
        for (var i = 0; i < 3; i++) await server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker) });

        var first = await server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker, PageSize = 1 });
        Assert.NotEmpty(first.NextPageToken);

        // Same token, different filter.
        await RpcAssert.InvalidField("page_token", () => server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker, PageSize = 1, PageToken = first.NextPageToken, Publication = "Dawn" }).ResponseAsync);
        // A flipped character.
        var chars = first.NextPageToken.ToCharArray();
        chars[2] = chars[2] == 'A' ? 'B' : 'A';
        await RpcAssert.InvalidField("page_token", () => server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker, PageSize = 1, PageToken = new string(chars) }).ResponseAsync);
        // A speakers token on claims.
        await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() });
        var speakersToken = (await server.Speakers.ListSpeakersAsync(new ListSpeakersRequest { PageSize = 1 })).NextPageToken;
        await RpcAssert.InvalidField("page_token", () => server.Claims.ListClaimsAsync(new ListClaimsRequest { PageToken = speakersToken }).ResponseAsync);
        // The page size may change between pages (AIP-158).
        var second = await server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker, PageSize = 5, PageToken = first.NextPageToken });
        Assert.Equal(2, second.Claims.Count);
        Assert.Equal("", second.NextPageToken);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task PageSizeDefaultsTo50AndIsCappedAt1000()
    {
        var speaker = (await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() })).Name;
        // More than the cap, so that a page of 5,000 asked for can only come back with 1,000.
        using (var import = server.Claims.ImportClaims())
        {
            await import.RequestStream.WriteAsync(new ImportClaimsRequest { Claims = { Enumerable.Range(0, 1_005).Select(_ => TestData.Claim(speaker)) } });
            await import.RequestStream.CompleteAsync();
            Assert.Equal(1_005, (await import.ResponseAsync).ImportedCount);
        }

        Assert.Equal(50, (await server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker })).Claims.Count);
        var capped = await server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker, PageSize = 5000 });
        Assert.Equal(1_000, capped.Claims.Count);
        Assert.Equal(5, (await server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker, PageSize = 5000, PageToken = capped.NextPageToken })).Claims.Count);
        var e = await Assert.ThrowsAsync<RpcException>(() => server.Claims.ListClaimsAsync(new ListClaimsRequest { PageSize = -5 }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }
}
