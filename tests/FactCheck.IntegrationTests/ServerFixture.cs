using FactCheck.Server.Hosting;
using FactCheck.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;

namespace FactCheck.IntegrationTests;

/// <summary>A real FactCheck server on Kestrel, on a free loopback port, over its own temporary SQLite database.
/// Tests talk to it through a real gRPC channel.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "factcheck-it-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    public GrpcChannel Channel { get; private set; } = null!;
    public string Address { get; private set; } = "";
    public string DatabasePath => Path.Combine(_directory, "factcheck.db");

    public SpeakerService.SpeakerServiceClient Speakers => new(Channel);
    public ClaimService.ClaimServiceClient Claims => new(Channel);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _app = await FactCheckHost.BuildAsync(
        [
            $"--Storage:Sqlite:Path={DatabasePath}",
            "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync();
        Address = _app.Urls.Single();
        Channel = GrpcChannel.ForAddress(Address);
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
