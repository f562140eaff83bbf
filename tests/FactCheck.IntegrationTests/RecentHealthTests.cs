using FactCheck.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FactCheck.IntegrationTests;

/// <summary>Health probes reuse the store's answer for about a second, so a storm of them never reaches the database.</summary>
public sealed class RecentHealthTests
{
    private const int Timeout = 30_000;

    [Fact(Timeout = Timeout)]
    public async Task AStormOfProbesRunsTheCheckOnceASecond()
    {
        var check = new CountingCheck();
        var clock = new ManualTimestamps();
        var health = new RecentHealth<CountingCheck>(check, clock);

        var storm = Enumerable.Range(0, 200).Select(_ => health.CheckHealthAsync(Context(check))).ToList();
        await check.StartedAsync(1);
        check.Answer(HealthCheckResult.Healthy("store answers"));
        Assert.All(await Task.WhenAll(storm), result => Assert.Equal(HealthStatus.Healthy, result.Status));
        Assert.Equal(1, check.Runs);

        clock.Advance(RecentHealth<CountingCheck>.Freshness - TimeSpan.FromMilliseconds(1));
        for (var i = 0; i < 100; i++) Assert.Equal("store answers", (await health.CheckHealthAsync(Context(check))).Description);
        Assert.Equal(1, check.Runs);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        var next = health.CheckHealthAsync(Context(check));
        await check.StartedAsync(2);
        check.Answer(HealthCheckResult.Unhealthy("store unreachable"));
        Assert.Equal(HealthStatus.Unhealthy, (await next).Status);
        Assert.Equal(2, check.Runs);
    }

    [Fact(Timeout = Timeout)]
    public async Task AProbeThatGivesUpLeavesTheOthersTheirAnswer()
    {
        var check = new CountingCheck();
        var health = new RecentHealth<CountingCheck>(check, new ManualTimestamps());
        using var givingUp = new CancellationTokenSource();

        var impatient = health.CheckHealthAsync(Context(check), givingUp.Token);
        var patient = health.CheckHealthAsync(Context(check));
        await givingUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        await check.StartedAsync(1);
        check.Answer(HealthCheckResult.Healthy());

        Assert.Equal(HealthStatus.Healthy, (await patient).Status);
        Assert.Equal(1, check.Runs);
    }

    [Fact(Timeout = Timeout)]
    public async Task ACheckThatThrowsIsAnsweredWithItsFailureStatus()
    {
        var check = new CountingCheck();
        var health = new RecentHealth<CountingCheck>(check, new ManualTimestamps());

        var probe = health.CheckHealthAsync(Context(check));
        await check.StartedAsync(1);
        check.Fail(new TimeoutException("no answer"));

        var result = await probe;
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.IsType<TimeoutException>(result.Exception);
    }

    [Fact(Timeout = Timeout)]
    public async Task TheServersStoreCheckIsTheReusedOne()
    {
        using var directory = new TempDirectory();
        await using var server = await TestServer.StartAsync(directory.File("factcheck.db"));
        var registrations = server.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;

        var store = registrations.Single(r => r.Name == "store").Factory(server.Services);

        Assert.IsType<RecentHealth<StoreHealthCheck>>(store);
        Assert.Same(store, registrations.Single(r => r.Name == "store").Factory(server.Services));
    }

    private static HealthCheckContext Context(IHealthCheck check) =>
        new() { Registration = new HealthCheckRegistration("store", check, HealthStatus.Unhealthy, null) };

    /// <summary>A check that counts its runs and answers when told.</summary>
    private sealed class CountingCheck : IHealthCheck
    {
        private TaskCompletionSource<HealthCheckResult> pending = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int runs;

        public int Runs => Volatile.Read(ref runs);

        /// <summary>Waits until the check has been run <paramref name="run"/> times (it runs off the caller's thread).</summary>
        public async Task StartedAsync(int run)
        {
            while (Runs < run) await Task.Delay(5);
        }

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref runs);
            return pending.Task;
        }

        public void Answer(HealthCheckResult result) => Interlocked.Exchange(ref pending, new(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult(result);

        public void Fail(Exception e) => Interlocked.Exchange(ref pending, new(TaskCreationOptions.RunContinuationsAsynchronously)).SetException(e);
    }

    /// <summary>Timestamps that move only when told.</summary>
    private sealed class ManualTimestamps : TimeProvider
    {
        private long now;

        public override long GetTimestamp() => Interlocked.Read(ref now);

        public void Advance(TimeSpan by) => Interlocked.Add(ref now, (long)(by.TotalSeconds * TimestampFrequency));
    }
}
