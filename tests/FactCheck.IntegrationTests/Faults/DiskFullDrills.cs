using FactCheck.V1;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace FactCheck.IntegrationTests.Faults;

/// <summary>
/// SQLite out of space, by a cap on its size (Storage:Sqlite:MaxPageCount; a tiny loop-mounted filesystem needs root
/// and a loop device): writes fail with UNAVAILABLE, reads go on, the file passes integrity_check, and with room again
/// writes work and every acknowledged write is there.
/// </summary>
[Collection(FaultDrills.Name)]
public sealed class DiskFullDrills(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task WhenSqliteIsFullWritesAnswerUnavailableReadsGoOnAndWritesResumeWithRoom()
    {
        var path = directory.File("factcheck.db");
        var database = $"--Storage:Sqlite:Path={path}";
        var acknowledged = new List<Claim>();
        string speaker;
        await using (var first = await ServerProcess.StartAsync(database))
            speaker = (await first.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() })).Name;
        var pages = await ScalarAsync(path, "PRAGMA page_count");

        RpcException? refusal = null;
        var readsWhileFull = 0;
        await using (var capped = await ServerProcess.StartAsync(database, $"--Storage:Sqlite:MaxPageCount={pages + 40}"))
        {
            while (refusal is null && acknowledged.Count < 5000)
            {
                try
                {
                    acknowledged.Add(await capped.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker) },
                        deadline: DateTime.UtcNow.AddSeconds(30)));
                }
                catch (RpcException e)
                {
                    refusal = e;
                }
            }
            Assert.NotNull(refusal);
            // Still full: a second write is refused the same way, and reads are served.
            var again = await RpcAssert.FailsWith(refusal.StatusCode, () => capped.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker) }).ResponseAsync);
            output.WriteLine($"refused: {again.Status.Detail}");
            foreach (var claim in acknowledged.TakeLast(20))
            {
                Assert.Equal(claim, await capped.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name }));
                readsWhileFull++;
            }
            Assert.NotEmpty((await capped.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker })).Claims);
            readsWhileFull++;
            capped.Terminate();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await capped.WaitForExitAsync(patience.Token);
        }
        var integrity = await ScalarTextAsync(path, "PRAGMA integrity_check");

        await using var roomy = await ServerProcess.StartAsync(database);
        var afterwards = await roomy.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker) });
        long lost = 0;
        foreach (var chunk in acknowledged.Chunk(500))
        {
            var stored = (await roomy.Claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { chunk.Select(c => c.Name) } })).Claims;
            lost += chunk.Length - stored.Count(claim => chunk.Contains(claim));
        }

        ReliabilityReport.Record(output, "SQLite full (max_page_count)", acknowledged.Count + 2 + readsWhileFull + 1, 2, 0, lost,
            $"{acknowledged.Count} writes before full; the 2 failed are the refused writes: {refusal.StatusCode}; {readsWhileFull} reads served while full; " +
            $"integrity_check {integrity}; writes work again with room");
        Assert.Contains(refusal.StatusCode, new[] { StatusCode.Unavailable, StatusCode.ResourceExhausted });
        Assert.NotEmpty(acknowledged);
        Assert.Equal("ok", integrity);
        Assert.NotEmpty(afterwards.Name);
        Assert.Equal(0, lost);
    }

    private static async Task<long> ScalarAsync(string path, string sql) => long.Parse(await ScalarTextAsync(path, sql));

    /// <summary>A connection of the test's own, not pooled, on the file while no server has it open.</summary>
    private static async Task<string> ScalarTextAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
