using FactCheck.Server.Hosting;
using FactCheck.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;

namespace FactCheck.IntegrationTests;

/// <summary>A real FactCheck server hosted in the test process on Kestrel, on a free loopback port.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private TestServer(WebApplication app)
    {
        this.app = app;
        // Endpoints bind in configuration-key order: Grpc, then Http.
        Address = app.Urls.ElementAt(0);
        HttpAddress = app.Urls.ElementAt(1);
        Channel = TestChannels.Create(Address);
    }

    public string Address { get; }
    /// <summary>The HTTP/1.1 endpoint: JSON transcoding, OpenAPI, /healthz.</summary>
    public string HttpAddress { get; }
    public GrpcChannel Channel { get; }
    public IServiceProvider Services => app.Services;
    public SpeakerService.SpeakerServiceClient Speakers => new(Channel);
    public ClaimService.ClaimServiceClient Claims => new(Channel);

    public static async Task<TestServer> StartAsync(string databasePath, params string[] settings)
    {
        var app = await FactCheckHost.BuildAsync(
        [
            $"--Storage:Sqlite:Path={databasePath}",
            // Beside the test's own database even on PostgreSQL, whose default (data/search-index under the working
            // directory) every server of this test process would otherwise share.
            $"--Search:IndexPath={Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, "search-index")}",
            "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:0",
            "--Kestrel:Endpoints:Http:Url=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            .. TestChannels.Settings,
            .. settings,
        ]);
        await app.StartAsync();
        return new TestServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
