using System.Diagnostics;
using FactCheck.Core.Audit;
using FactCheck.Core.Storage;
using FactCheck.Storage.Postgres;
using FactCheck.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Core = FactCheck.Core;

namespace FactCheck.Bench;

/// <summary>
/// ImportClaims measured below gRPC: the generated claims go straight to the store's ImportClaimsAsync, batch after
/// batch from one caller, as the service would pass them. Comparing its rate with the load line of
/// <c>bench/run.sh</c> separates the store's cost from the client's and the RPC's; the rate per interval shows how the
/// cost grows with the tables. The CPU per claim (this process's, generation included) is the steadier figure on a
/// shared machine, where the wall-clock rate moves with the other processes' load.
/// </summary>
public static class StoreImportCommand
{
    public static async Task<int> RunAsync(Args args)
    {
        var claims = args.Int("claims", 100_000);
        var speakers = args.Int("speakers", 2_000);
        var batchSize = args.Int("batch", 2_500);
        var every = args.Int("report-every", 50_000);
        var seed = args.Int("seed", 42);
        var postgres = args.String("postgres");
        var serverPid = args.Int("server-pid", 0);
        var path = args.String("path", Path.Combine(Path.GetTempPath(), $"store-import-{Environment.ProcessId}.db"))!;
        args.EnsureAllUsed();

        var services = new ServiceCollection().AddSingleton(TimeProvider.System);
        if (postgres is null) services.AddSqliteStore(new SqliteStoreOptions { Path = path });
        else services.AddPostgresStore(new PostgresStoreOptions { ConnectionString = postgres });
        await using var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
        var speakerStore = provider.GetRequiredService<ISpeakerStore>();
        var claimStore = provider.GetRequiredService<IClaimStore>();
        Console.WriteLine($"store-import: {claims:N0} claims over {speakers:N0} speakers into {(postgres is null ? "SQLite " + path : "PostgreSQL")}, batches of {batchSize:N0}");

        var gen = new DataGenerator(seed, speakers, claims);
        var speakerIds = new string[speakers];
        for (var i = 0; i < speakers; i++)
        {
            var speaker = await speakerStore.CreateSpeakerAsync(new Core.Speakers.Speaker { Id = Core.ResourceNames.NewId(), DisplayName = gen.Speaker(i).DisplayName },
                null, new AuditContext("bench", AuditActions.SpeakerCreate), CancellationToken.None);
            speakerIds[i] = speaker.Id;
        }
        var speakerNames = speakerIds.Select(Core.ResourceNames.Speaker).ToArray();

        var audit = new AuditContext("bench", AuditActions.ClaimCreate, "benchmark data");
        var startCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var startServerCpu = serverPid == 0 ? 0 : ServerCpuSeconds(serverPid);
        var total = Stopwatch.StartNew();
        var interval = Stopwatch.StartNew();
        var generating = TimeSpan.Zero;
        var intervalCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sinceReport = 0;
        for (var start = 0; start < claims; start += batchSize)
        {
            var before = total.Elapsed;
            var batch = Enumerable.Range(start, Math.Min(batchSize, claims - start)).Select(j => ToCore(gen.Claim(j, speakerNames))).ToList();
            generating += total.Elapsed - before;
            await claimStore.ImportClaimsAsync(batch, new IdempotencyKey($"store-import-{start}", "bench"), audit, CancellationToken.None);
            sinceReport += batch.Count;
            if (sinceReport >= every || start + batchSize >= claims)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                Console.WriteLine($"  {start + batch.Count,10:N0} claims: {sinceReport / interval.Elapsed.TotalSeconds,8:N0} claims/s over the last {sinceReport:N0}, " +
                                  $"{(cpu - intervalCpu).TotalMilliseconds * 1000 / sinceReport:N0} µs of CPU per claim");
                intervalCpu = cpu;
                sinceReport = 0;
                interval.Restart();
            }
        }
        var storeSeconds = (total.Elapsed - generating).TotalSeconds;
        var cpuPerClaim = (Process.GetCurrentProcess().TotalProcessorTime - startCpu).TotalMilliseconds * 1000 / claims;
        var serverCpu = serverPid == 0 ? "" : $", {(ServerCpuSeconds(serverPid) - startServerCpu) * 1e6 / claims:N0} µs of the server's";
        Console.WriteLine($"store-import: {claims:N0} in {total.Elapsed.TotalSeconds:F1}s ({claims / total.Elapsed.TotalSeconds:N0} claims/s); " +
                          $"in the store {storeSeconds:F1}s ({claims / storeSeconds:N0} claims/s), generating {generating.TotalSeconds:F1}s; " +
                          $"{cpuPerClaim:N0} µs of this process's CPU per claim{serverCpu}");
        return 0;
    }

    /// <summary>
    /// The CPU time, in seconds, of the server process <paramref name="pid"/> (PostgreSQL's postmaster) and its
    /// children, from /proc: its own, that of its children it has reaped, and that of the live ones (the backends, WAL
    /// writer, checkpointer). Clock ticks are taken as 100 a second, Linux's USER_HZ.
    /// </summary>
    private static double ServerCpuSeconds(int pid)
    {
        static long[] Fields(string statPath)
        {
            // The command name, in parentheses, may hold spaces: the numeric fields follow the last ')'.
            var stat = File.ReadAllText(statPath);
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ').Select(field => long.TryParse(field, out var n) ? n : 0).ToArray();
        }
        // After ')': [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime.
        var own = Fields($"/proc/{pid}/stat");
        var ticks = own[11] + own[12] + own[13] + own[14];
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            try
            {
                var child = Fields(Path.Combine(dir, "stat"));
                if (child[1] == pid) ticks += child[11] + child[12];
            }
            catch (IOException) { } // gone meanwhile: its time is now in the parent's cutime/cstime
        }
        return ticks / 100.0;
    }

    /// <summary>The generated message as the service's mapping would hand it to the store.</summary>
    private static Core.Claims.Claim ToCore(FactCheck.V1.Claim claim) => new()
    {
        Id = Core.ResourceNames.NewId(),
        SpeakerId = claim.Speaker.Split('/')[1],
        AttributedTo = claim.AttributedTo,
        Text = claim.Text,
        Kind = (Core.Claims.AttributionKind)claim.AttributionKind,
        SaidOn = new DateOnly(claim.SaidOn.Year, claim.SaidOn.Month, claim.SaidOn.Day),
        Context = claim.Context.Length == 0 ? null : claim.Context,
        LanguageCode = claim.LanguageCode,
        AttributionConfidence = claim.AttributionConfidence,
        Appearances = claim.Appearances.Select(a => new Core.Claims.Appearance
        {
            Url = a.Url,
            Publication = a.Publication,
            Title = a.Title,
            PublishTime = a.PublishTime.ToDateTimeOffset(),
            CreditedOutlets = a.CreditedOutlets.ToList(),
            QuotedSentence = a.QuotedSentence,
        }).ToList(),
    };
}
