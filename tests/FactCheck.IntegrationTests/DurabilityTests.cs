using System.Collections.Concurrent;
using FactCheck.V1;
using Grpc.Core;

namespace FactCheck.IntegrationTests;

public sealed class DurabilityTests : IDisposable
{
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task EveryAcknowledgedCreateSurvivesSigkillMidStream()
    {
        var database = $"--Storage:Sqlite:Path={directory.File("factcheck.db")}";
        var acknowledged = new ConcurrentDictionary<string, Claim>();
        string speaker;

        await using (var server = await ServerProcess.StartAsync(database))
        {
            speaker = (await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() })).Name;
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var created = await server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker) });
                        acknowledged[created.Name] = created;
                    }
                    catch (RpcException)
                    {
                        return; // the server is gone; anything not acknowledged may or may not be stored
                    }
                }
            })).ToList();

            while (acknowledged.Count < 200) await Task.Delay(10);
            server.Kill(); // while the writers are still sending
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        await using var restarted = await ServerProcess.StartAsync(database);
        foreach (var chunk in acknowledged.Values.Chunk(500))
        {
            var stored = await restarted.Claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { chunk.Select(c => c.Name) } });
            Assert.Equal(chunk, stored.Claims);
        }
        var listed = new HashSet<string>();
        var token = "";
        do
        {
            var page = await restarted.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker, PageSize = 1000, PageToken = token });
            listed.UnionWith(page.Claims.Select(c => c.Name));
            token = page.NextPageToken;
        } while (token != "");
        Assert.Superset(acknowledged.Keys.ToHashSet(), listed);
    }
}
