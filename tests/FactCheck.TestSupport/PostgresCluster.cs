using System.Diagnostics;

namespace FactCheck.TestSupport;

/// <summary>
/// A PostgreSQL cluster of one test's own, on a free loopback port, that the test may stop and start with pg_ctl
/// without disturbing the cluster the rest of the suite shares (<see cref="PostgresTestDatabase"/>). initdb and pg_ctl
/// come from FACTCHECK_TEST_POSTGRES_BIN, run as FACTCHECK_TEST_POSTGRES_USER when set (the server refuses root); both are
/// exported by scripts/services/postgres.sh.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly string bin;
    private readonly string? user;
    private readonly string directory;
    private readonly int port = Loopback.FreePort();

    private PostgresCluster(string bin, string? user, string directory)
    {
        this.bin = bin;
        this.user = user;
        this.directory = directory;
    }

    public string ConnectionString => $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";

    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = Environment.GetEnvironmentVariable("FACTCHECK_TEST_POSTGRES_BIN");
        if (string.IsNullOrEmpty(bin)) throw new InvalidOperationException("FACTCHECK_TEST_POSTGRES_BIN is not set: run scripts/test.sh, which installs PostgreSQL");
        var user = Environment.GetEnvironmentVariable("FACTCHECK_TEST_POSTGRES_USER") is { Length: > 0 } named ? named : null;
        // Under /tmp, not the test's folder: a checkout in a private home is out of the postgres user's reach.
        var directory = Directory.CreateTempSubdirectory("factcheck-drill-pg.").FullName;
        var cluster = new PostgresCluster(bin, user, directory);
        if (user is not null) await cluster.RunAsync("chown", "-R", user, directory);
        await cluster.RunAsync(Path.Combine(bin, "initdb"), "-D", cluster.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync");
        await cluster.StartAgainAsync();
        return cluster;
    }

    private string Data => Path.Combine(directory, "data");

    /// <summary>pg_ctl start, waiting until it accepts connections. Durable as a production cluster is (fsync on), so
    /// that a stop and start keeps every committed write for real.</summary>
    public Task StartAgainAsync() => RunAsync(Path.Combine(bin, "pg_ctl"), "start", "-D", Data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60",
        "-o", $"-p {port} -c listen_addresses=127.0.0.1 -k {directory} -c max_connections=100");

    /// <summary>pg_ctl stop in fast mode: open sessions are ended (the clients see their connections close), as an
    /// operator's restart or a failover does.</summary>
    public Task StopAsync() => RunAsync(Path.Combine(bin, "pg_ctl"), "stop", "-D", Data, "-m", "fast", "-w", "-t", "60");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync(Path.Combine(bin, "pg_ctl"), "stop", "-D", Data, "-m", "immediate", "-w", "-t", "30");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        Directory.Delete(directory, recursive: true);
    }

    private async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(user is null || program == "chown" ? program : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (user is not null && program != "chown")
        {
            foreach (var argument in new[] { "-u", user, "--", program }) start.ArgumentList.Add(argument);
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(CommandTimeout);
        await process.WaitForExitAsync(patience.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed with {process.ExitCode}:\n{await output}{await error}");
    }
}
