using System.Collections.Concurrent;
using System.Diagnostics;
using FactCheck.V1;
using Google.Rpc;
using Grpc.Core;
using Xunit.Abstractions;

namespace FactCheck.IntegrationTests.Faults;

/// <summary>
/// SIGTERM, as a container runtime stops a container, while eight callers write and three WatchAuditEvents streams are
/// open: the unary calls in flight finish, the streams end with a status the client can act on (not a reset), the
/// process exits by itself well within the shutdown timeout, and every acknowledged write is there after a restart.
/// </summary>
[Collection(FaultDrills.Name)]
public sealed class ShutdownDrills(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private sealed record Outcome(bool StartedBeforeSignal, bool EndedAfterSignal, StatusCode Code, string Detail);

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task OnSigtermInFlightCallsFinishAndWatchStreamsEndWithAStatus()
    {
        var database = $"--Storage:Sqlite:Path={directory.File("factcheck.db")}";
        var acknowledged = new ConcurrentDictionary<string, Claim>();
        var outcomes = new ConcurrentQueue<Outcome>();
        List<(long Events, RpcException? End)> watchEnds;
        TimeSpan exitTook;
        int exitCode;

        await using (var server = await ServerProcess.StartAsync(database))
        {
            var speaker = (await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() })).Name;
            var audit = new AuditService.AuditServiceClient(server.Channel);
            var firstEvents = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
            var watches = firstEvents.Select(first => Task.Run(async () =>
            {
                using var watch = audit.WatchAuditEvents(new WatchAuditEventsRequest { Resource = speaker }, deadline: DateTime.UtcNow.AddSeconds(90));
                long events = 0;
                try
                {
                    while (await watch.ResponseStream.MoveNext(CancellationToken.None))
                    {
                        events++;
                        first.TrySetResult();
                    }
                    return (events, (RpcException?)null);
                }
                catch (RpcException e)
                {
                    return (events, e);
                }
            })).ToList();
            await Task.WhenAll(firstEvents.Select(first => first.Task)).WaitAsync(TimeSpan.FromSeconds(30));

            var signalled = 0;
            var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (Volatile.Read(ref signalled) == 0)
                {
                    var startedBeforeSignal = Volatile.Read(ref signalled) == 0;
                    try
                    {
                        var created = await server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker) },
                            deadline: DateTime.UtcNow.AddSeconds(30));
                        acknowledged[created.Name] = created;
                        outcomes.Enqueue(new Outcome(startedBeforeSignal, Volatile.Read(ref signalled) == 1, StatusCode.OK, ""));
                    }
                    catch (RpcException e)
                    {
                        outcomes.Enqueue(new Outcome(startedBeforeSignal, Volatile.Read(ref signalled) == 1, e.StatusCode, e.Status.Detail));
                    }
                }
            })).ToList();

            while (acknowledged.Count < 100) await Task.Delay(10);
            var clock = Stopwatch.StartNew();
            server.Terminate();
            Volatile.Write(ref signalled, 1);
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));
            watchEnds = [.. await Task.WhenAll(watches).WaitAsync(TimeSpan.FromSeconds(60))];
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await server.WaitForExitAsync(patience.Token);
            exitTook = clock.Elapsed;
            exitCode = server.ExitCode;
            output.WriteLine(server.OutputTail);
        }

        var inFlight = outcomes.Count(o => o.StartedBeforeSignal && o.EndedAfterSignal);
        var notFinished = outcomes.Where(o => o.StartedBeforeSignal && o.Code != StatusCode.OK).ToList();
        var badStreamEnds = watchEnds.Where(w => w.End?.StatusCode != StatusCode.Unavailable
            || w.End.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason != "SERVER_SHUTTING_DOWN").ToList();

        await using var restarted = await ServerProcess.StartAsync(database);
        long lost = 0;
        foreach (var chunk in acknowledged.Values.Chunk(500))
        {
            var stored = (await restarted.Claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { chunk.Select(c => c.Name) } })).Claims;
            lost += chunk.Length - stored.Count(claim => acknowledged.TryGetValue(claim.Name, out var ack) && ack.Equals(claim));
        }

        ReliabilityReport.Record(output, "SIGTERM, 8 writers + 3 WatchAuditEvents streams", outcomes.Count + watchEnds.Count, notFinished.Count + badStreamEnds.Count, 0, lost,
            $"{acknowledged.Count} writes; {inFlight} calls in flight at the signal, unfinished calls: {notFinished.Count}; " +
            $"streams ended UNAVAILABLE SERVER_SHUTTING_DOWN: {watchEnds.Count - badStreamEnds.Count} of {watchEnds.Count}; exit {exitCode} after {exitTook.TotalSeconds:0.0} s");
        Assert.True(inFlight > 0, "no call was in flight at the signal");
        Assert.True(notFinished.Count == 0, $"calls in flight at the SIGTERM did not finish:\n{string.Join('\n', notFinished.Take(20))}");
        Assert.True(badStreamEnds.Count == 0, $"watch streams ended otherwise:\n{string.Join('\n', badStreamEnds.Select(w => w.End?.ToString() ?? "ended without a status"))}");
        Assert.True(exitTook < TimeSpan.FromSeconds(20), $"the server took {exitTook} to exit");
        Assert.Equal(0, exitCode);
        Assert.Equal(0, lost);
    }
}
