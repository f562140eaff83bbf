using System.Diagnostics;
using FactCheck.V1;
using Grpc.Net.Client;

namespace FactCheck.IntegrationTests;

/// <summary>The server as a separate OS process (the published FactCheck.Server.dll next to the tests), for tests
/// that kill it or run several instances.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string address)
    {
        _process = process;
        Address = address;
        Channel = TestChannels.Create(address);
    }

    public string Address { get; }
    public GrpcChannel Channel { get; }
    public SpeakerService.SpeakerServiceClient Speakers => new(Channel);
    public ClaimService.ClaimServiceClient Claims => new(Channel);

    /// <summary>GET of a plain HTTP endpoint on the server (HTTP/2 with prior knowledge, as the gRPC endpoint speaks).</summary>
    public async Task<T> GetJsonAsync<T>(string path)
    {
        using var http = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        return (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<T>(http, Address + path))!;
    }

    public static async Task<ServerProcess> StartAsync(params string[] settings)
    {
        var port = Loopback.FreePort();
        var address = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FactCheck.Server.dll"));
        start.ArgumentList.Add($"--Kestrel:Endpoints:Grpc:Url={address}");
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        foreach (var setting in TestChannels.Settings) start.ArgumentList.Add(setting);
        foreach (var setting in settings) start.ArgumentList.Add(setting);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        // Drain output so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, address);
        await server.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what survives is what the store had made durable.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        if (!_process.HasExited) Kill();
        _process.Dispose();
        await Task.CompletedTask;
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"server exited with code {_process.ExitCode}");
            try
            {
                await Speakers.ListSpeakersAsync(new ListSpeakersRequest { PageSize = 1 }, deadline: DateTime.UtcNow.AddSeconds(2));
                return;
            }
            catch (Grpc.Core.RpcException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
