using FactCheck.V1;
using Grpc.Net.Client;

namespace FactCheck.IntegrationTests;

/// <summary>One server over its own temporary SQLite database, shared by the tests of a class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private TestServer? _server;

    public GrpcChannel Channel => _server!.Channel;
    public string Address => _server!.Address;
    public string HttpAddress => _server!.HttpAddress;
    public string DatabasePath => _directory.File("factcheck.db");
    public SpeakerService.SpeakerServiceClient Speakers => _server!.Speakers;
    public ClaimService.ClaimServiceClient Claims => _server!.Claims;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(DatabasePath);

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _directory.Dispose();
    }
}
