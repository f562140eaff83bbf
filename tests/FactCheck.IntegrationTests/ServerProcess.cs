using System.Diagnostics;
using FactCheck.V1;
using Grpc.Net.Client;

namespace FactCheck.IntegrationTests;

/// <summary>The server as a separate OS process (the published FactCheck.Server.dll next to the tests), for tests
/// that kill it or run several instances.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const string ListeningOn = "Now listening on: ";
    private readonly Process process;
    private readonly Queue<(long Number, string Line)> output = new();
    private readonly TaskCompletionSource<string> address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> httpAddress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long linesPrinted;
    private long stackTraceLines;

    private ServerProcess(Process process) => this.process = process;

    public string Address { get; private set; } = "";
    /// <summary>The HTTP/1.1 endpoint: JSON transcoding, OpenAPI, /healthz, the console.</summary>
    public string HttpAddress { get; private set; } = "";
    public GrpcChannel Channel { get; private set; } = null!;
    public SpeakerService.SpeakerServiceClient Speakers => new(Channel);
    public ClaimService.ClaimServiceClient Claims => new(Channel);

    /// <summary>Lines the server has printed so far, and how many of them carry a stack-trace frame ("   at …", on a
    /// line of its own or, in the single-line console format the server ships with, inside the line).</summary>
    public long LinesPrinted => Interlocked.Read(ref linesPrinted);
    public long StackTraceLines => Interlocked.Read(ref stackTraceLines);

    /// <summary>The last lines the server printed.</summary>
    public string OutputTail
    {
        get { lock (output) return string.Join('\n', output.Select(o => o.Line)); }
    }

    /// <summary>The lines printed after the first <paramref name="printed"/> (of the last 200 kept).</summary>
    public IReadOnlyList<string> LinesAfter(long printed)
    {
        lock (output) return [.. output.Where(o => o.Number > printed).Select(o => o.Line)];
    }

    /// <summary>GET of a plain HTTP endpoint on the server (HTTP/2 with prior knowledge, as the gRPC endpoint speaks).</summary>
    public async Task<T> GetJsonAsync<T>(string path)
    {
        using var http = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        return (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<T>(http, Address + path))!;
    }

    public static async Task<ServerProcess> StartAsync(params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FactCheck.Server.dll"));
        // Port 0, and the address read back from the server itself: a port picked in advance can be taken by
        // another test's server in between, and then this test would talk to the wrong server.
        start.ArgumentList.Add("--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:0");
        start.ArgumentList.Add("--Kestrel:Endpoints:Http:Url=http://127.0.0.1:0");
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        start.ArgumentList.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");
        foreach (var setting in TestChannels.Settings) start.ArgumentList.Add(setting);
        // Each process its own search index: on PostgreSQL the default (data/search-index under the working
        // directory) would be shared by every server this test run starts, and two of them writing one index lose
        // its segments.
        if (!settings.Any(setting => setting.StartsWith("--Search:IndexPath=", StringComparison.Ordinal)))
            start.ArgumentList.Add($"--Search:IndexPath={Path.Combine(Path.GetTempPath(), "factcheck-test-index-" + Guid.NewGuid().ToString("N"))}");
        foreach (var setting in settings) start.ArgumentList.Add(setting);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        var server = new ServerProcess(process);
        // Drain output so a chatty server never blocks on a full pipe; keep the tail for diagnosing a crash.
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    private void Remember(string? line)
    {
        if (line is null) return;
        var number = Interlocked.Increment(ref linesPrinted);
        if (line.Contains("   at ", StringComparison.Ordinal)) Interlocked.Increment(ref stackTraceLines);
        var at = line.IndexOf(ListeningOn, StringComparison.Ordinal);
        // The gRPC endpoint binds first, then the HTTP one (endpoints bind in configuration-key order: Grpc, Http).
        if (at >= 0)
        {
            var boundAddress = line[(at + ListeningOn.Length)..].Trim();
            if (!address.TrySetResult(boundAddress)) httpAddress.TrySetResult(boundAddress);
        }
        lock (output)
        {
            output.Enqueue((number, line));
            if (output.Count > 200) output.Dequeue();
        }
    }

    public int Id => process.Id;
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;

    /// <summary>Resident memory, from /proc.</summary>
    public long ResidentBytes
    {
        get
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
    }

    /// <summary>SIGTERM, as a container runtime stops a container: the host shuts down gracefully.</summary>
    public void Terminate() => Signals.Send(process.Id, Signals.Term);

    public Task WaitForExitAsync(CancellationToken cancellationToken) => process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what survives is what the store had made durable.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        if (!process.HasExited) Kill();
        process.Dispose();
        await Task.CompletedTask;
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var exited = process.WaitForExitAsync();
        var listening = Task.WhenAll(address.Task, httpAddress.Task);
        var first = await Task.WhenAny(listening, exited, Task.Delay(timeout));
        if (first != listening)
            throw new InvalidOperationException(process.HasExited ? $"server exited with code {process.ExitCode}:\n{OutputTail}" : $"server did not start in {timeout}:\n{OutputTail}");
        Address = await address.Task;
        HttpAddress = await httpAddress.Task;
        Channel = TestChannels.Create(Address);
        await Speakers.ListSpeakersAsync(new ListSpeakersRequest { PageSize = 1 }, deadline: DateTime.UtcNow.Add(timeout));
    }
}
