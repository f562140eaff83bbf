using System.Collections.Concurrent;
using System.Text.Json;
using FactCheck.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Xunit.Abstractions;

namespace FactCheck.IntegrationTests.Faults;

/// <summary>
/// SIGKILL while six callers create, update, delete, review and import claims, on SQLite and on PostgreSQL. After a
/// restart every acknowledged write is there with exactly one audit event, the audit log verifies (hash chain and Merkle
/// tree), and the signed checkpoint covers every event. Each caller writes only claims of its own, one call at a time, so
/// that the version an update or review acknowledged names exactly one audit event.
/// </summary>
[Collection(FaultDrills.Name)]
public sealed class SigkillDrills(ITestOutputHelper output) : IDisposable
{
    public enum Store { Sqlite, Postgres }

    private const int Callers = 6;
    private const int ImportBatch = 5;
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    /// <summary>An acknowledged write: its kind, the resource it names, and the claim version or import size it answered.</summary>
    private sealed record Ack(string Kind, string Resource, long Value);

    [Theory(Timeout = 150_000)]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task EveryAcknowledgedMixedWriteSurvivesSigkillWithOneAuditEventAndTheLogVerifies(Store store)
    {
        await using var postgres = store == Store.Postgres ? await PostgresTestDatabase.CreateAsync() : null;
        string[] settings = postgres is null
            ? [$"--Storage:Sqlite:Path={directory.File("factcheck.db")}"]
            // A search index of the test's own: by default a PostgreSQL server keeps it in its working folder, shared by
            // every server the suite starts there, and this one is killed mid-write.
            : ["--Storage:Provider=postgres", $"--ConnectionStrings:Postgres={postgres.ConnectionString}", $"--Search:IndexPath={directory.File("search-index")}"];
        var acks = new ConcurrentQueue<Ack>();
        // Deletions sent, acknowledged or not: one in flight when the server dies may have committed unanswered.
        var deletionsSent = new ConcurrentBag<string>();

        await using (var server = await ServerProcess.StartAsync(settings))
        {
            var speaker = (await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() })).Name;
            var callers = Enumerable.Range(0, Callers).Select(caller => Task.Run(() => WriteUntilKilledAsync(server, speaker, caller, acks, deletionsSent))).ToList();
            while (acks.Count < 300) await Task.Delay(10);
            server.Kill(); // while the callers are still writing
            await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60));
        }

        await using var restarted = await ServerProcess.StartAsync(settings);
        var audit = new AuditService.AuditServiceClient(restarted.Channel);
        var events = new List<AuditEvent>();
        var token = "";
        do
        {
            var page = await audit.ListAuditEventsAsync(new ListAuditEventsRequest { PageSize = 1000, PageToken = token });
            events.AddRange(page.Events);
            token = page.NextPageToken;
        } while (token != "");

        var problems = new List<string>();
        var deleted = acks.Where(a => a.Kind == "delete").Select(a => a.Resource).ToHashSet();
        foreach (var ack in acks)
        {
            var matching = ack.Kind switch
            {
                "create" => events.Count(e => e.Action == "claim.create" && e.Resource == ack.Resource),
                "update" => events.Count(e => e.Action == "claim.update" && e.Resource == ack.Resource && VersionAfter(e) == ack.Value),
                "delete" => events.Count(e => e.Action == "claim.delete" && e.Resource == ack.Resource),
                "review" => events.Count(e => e.Action == "review.create" && e.Resource == ack.Resource),
                _ => events.Count(e => e.Action == "claim.create" && e.RequestId == ack.Resource),
            };
            var expected = ack.Kind == "import" ? ack.Value : 1;
            if (matching != expected) problems.Add($"{ack}: {matching} audit events, expected {expected}");
        }
        var mustExist = acks.Where(a => a.Kind == "create").Select(a => a.Resource)
            .Concat(events.Where(e => acks.Any(a => a.Kind == "import" && a.Resource == e.RequestId)).Select(e => e.Resource))
            .Where(name => !deletionsSent.Contains(name)).Distinct().ToList();
        foreach (var chunk in mustExist.Chunk(500))
        {
            var found = (await restarted.Claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { chunk } })).Claims.Select(c => c.Name).ToHashSet();
            problems.AddRange(chunk.Where(name => !found.Contains(name)).Select(name => $"{name}: acknowledged, not stored"));
        }
        foreach (var name in deleted)
        {
            try
            {
                await restarted.Claims.GetClaimAsync(new GetClaimRequest { Name = name });
                problems.Add($"{name}: deletion acknowledged, still there");
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
            }
        }
        var verified = await audit.VerifyAuditLogAsync(new VerifyAuditLogRequest());
        var checkpoint = await audit.GetCheckpointAsync(new GetCheckpointRequest { Name = "auditLog/checkpoint" });

        var kinds = string.Join(", ", acks.GroupBy(a => a.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"));
        ReliabilityReport.Record(output, $"SIGKILL during mixed writes, {store}", acks.Count, 0, 0, problems.Count,
            $"acknowledged: {kinds}; {events.Count} audit events, log verifies: {verified.Ok}, checkpoint size {checkpoint.TreeSize}");
        Assert.True(problems.Count == 0, string.Join('\n', problems.Take(30)));
        Assert.True(verified.Ok, $"the audit log does not verify: {verified.Problem}");
        Assert.Equal(events.Count, verified.EventsChecked);
        Assert.Equal(events.Count, checkpoint.TreeSize);
        Assert.Contains(acks, a => a.Kind == "delete");
        Assert.Contains(acks, a => a.Kind == "import");
    }

    private static long VersionAfter(AuditEvent e) =>
        JsonDocument.Parse(e.AfterJson).RootElement.TryGetProperty("version", out var version) ? version.GetInt64() : -1;

    private static async Task WriteUntilKilledAsync(ServerProcess server, string speaker, int caller, ConcurrentQueue<Ack> acks, ConcurrentBag<string> deletionsSent)
    {
        var random = new Random(caller);
        var owned = new List<string>();
        try
        {
            for (var n = 0; ; n++)
            {
                var roll = owned.Count < 3 ? 0 : random.Next(100);
                switch (roll)
                {
                    case < 25:
                        var created = await server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker) });
                        owned.Add(created.Name);
                        acks.Enqueue(new Ack("create", created.Name, 1));
                        break;
                    case < 55:
                        var name = owned[random.Next(owned.Count)];
                        var updated = await server.Claims.UpdateClaimAsync(new UpdateClaimRequest
                        {
                            Claim = new Claim { Name = name, Context = $"context {caller}.{n}" },
                            UpdateMask = new FieldMask { Paths = { "context" } },
                        });
                        acks.Enqueue(new Ack("update", name, Caching.StaleReadChecker.Version(updated.Etag)));
                        break;
                    case < 75:
                        var review = await server.Claims.ReviewClaimAsync(new ReviewClaimRequest
                        {
                            Claim = owned[random.Next(owned.Count)],
                            Review = new Review { Verdict = Review.Types.Verdict.Accurate, Explanation = $"checked against the recording {caller}.{n}" },
                        });
                        acks.Enqueue(new Ack("review", review.Name, 1));
                        break;
                    case < 85:
                        var doomed = owned[random.Next(owned.Count)];
                        owned.Remove(doomed);
                        deletionsSent.Add(doomed);
                        await server.Claims.DeleteClaimAsync(new DeleteClaimRequest { Name = doomed });
                        acks.Enqueue(new Ack("delete", doomed, 1));
                        break;
                    default:
                        var requestId = Guid.NewGuid().ToString();
                        using (var import = server.Claims.ImportClaims())
                        {
                            var batch = new ImportClaimsRequest { RequestId = requestId };
                            for (var i = 0; i < ImportBatch; i++) batch.Claims.Add(TestData.Claim(speaker));
                            await import.RequestStream.WriteAsync(batch);
                            await import.RequestStream.CompleteAsync();
                            var imported = await import.ResponseAsync;
                            acks.Enqueue(new Ack("import", requestId, imported.ImportedCount));
                        }
                        break;
                }
            }
        }
        catch (RpcException)
        {
            // The server is gone; the write in flight may or may not be stored, and is not checked.
        }
    }
}
