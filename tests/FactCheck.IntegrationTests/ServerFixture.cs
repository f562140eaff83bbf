using FactCheck.V1;
using Grpc.Net.Client;

namespace FactCheck.IntegrationTests;

/// <summary>One server over its own temporary SQLite database, shared by the tests of a class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly TempDirectory directory = new();
    private TestServer? server;

    public GrpcChannel Channel => server!.Channel;
    public string Address => server!.Address;
    public string HttpAddress => server!.HttpAddress;
    public string DatabasePath => directory.File("factcheck.db");
    public SpeakerService.SpeakerServiceClient Speakers => server!.Speakers;
    public ClaimService.ClaimServiceClient Claims => server!.Claims;

    public async Task InitializeAsync() => server = await TestServer.StartAsync(DatabasePath);

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
        directory.Dispose();
    }
}
