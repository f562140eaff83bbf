using Grpc.Core;
using Xunit.Abstractions;

namespace FactCheck.IntegrationTests.Faults;

/// <summary>
/// PostgreSQL stopped and started again with pg_ctl under mixed load, on a cluster of the test's own
/// (<see cref="PostgresCluster"/>), with two server processes on it: calls during the outage answer UNAVAILABLE (a
/// client retries that), never INTERNAL or UNKNOWN; the service recovers by itself; no acknowledged write is lost.
/// </summary>
[Collection(FaultDrills.Name)]
public sealed class PostgresFaultDrills(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(8);
    /// <summary>How long after the restart the service may still answer UNAVAILABLE: pooled connections that the restart
    /// broke fail once each, when next used.</summary>
    private static readonly TimeSpan RecoveryAllowance = TimeSpan.FromSeconds(8);

    [Fact(Timeout = 180_000)]
    public async Task APostgresRestartUnderLoadAnswersUnavailableRecoversAndLosesNoAcknowledgedWrite()
    {
        await using var postgres = await PostgresCluster.StartAsync();
        // A search index of the test's own, not the working folder's that every PostgreSQL server of the suite shares.
        string[] settings = ["--Storage:Provider=postgres", $"--ConnectionStrings:Postgres={postgres.ConnectionString}", $"--Search:IndexPath={directory.File("search-index")}"];
        // One after the other: the first applies the migrations.
        await using var a = await ServerProcess.StartAsync(settings);
        await using var b = await ServerProcess.StartAsync(settings);
        var load = await MixedLoad.SeedAsync([a, b]);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(8, stop.Token);

        await Task.Delay(TimeSpan.FromSeconds(5));
        var callsBefore = load.Calls;
        var stoppedAt = DateTime.UtcNow;
        await postgres.StopAsync();
        await Task.Delay(Outage);
        await postgres.StartAgainAsync();
        var restartedAt = DateTime.UtcNow;
        var callsDuring = load.Calls - callsBefore;
        await Task.Delay(RecoveryAllowance);
        var settledAt = DateTime.UtcNow;
        var callsSettled = load.Calls;
        await Task.Delay(TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await running;
        var callsAfterRecovery = load.Calls - callsSettled;
        var lost = await load.CountLostWritesAsync(b);

        var failures = load.Failures.ToList();
        var notUnavailable = failures.Where(f => f.Code != StatusCode.Unavailable).ToList();
        var afterRecovery = failures.Where(f => f.At > settledAt).ToList();
        var lastFailure = failures.Count == 0 ? restartedAt : failures.Max(f => f.At);
        var recovery = lastFailure > restartedAt ? lastFailure - restartedAt : TimeSpan.Zero;
        ReliabilityReport.Record(output, "PostgreSQL pg_ctl stop (fast) 8 s + start, mixed load", load.Calls, failures.Count, load.Checker.StaleReads.Count, lost,
            $"{load.Writes} writes; {callsDuring} calls during the outage; failures all UNAVAILABLE: {notUnavailable.Count == 0}; " +
            $"last failure {recovery.TotalSeconds:0.0} s after the restart; {callsAfterRecovery} calls after it, {afterRecovery.Count} failed");
        Assert.True(notUnavailable.Count == 0, $"calls answered other than UNAVAILABLE:\n{string.Join('\n', notUnavailable.Take(20))}\n\n{a.OutputTail}");
        Assert.True(failures.Count > 0, "no call saw the outage");
        Assert.True(afterRecovery.Count == 0, $"the service had not recovered {RecoveryAllowance} after the restart:\n{string.Join('\n', afterRecovery.Take(20))}");
        Assert.True(callsAfterRecovery > 0, "no call completed after the recovery");
        Assert.Equal(0, lost);
        Assert.Empty(load.Checker.StaleReads);
    }
}
