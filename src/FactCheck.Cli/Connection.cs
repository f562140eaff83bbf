using FactCheck.V1;
using Grpc.Net.Client;

namespace FactCheck.Cli;

/// <summary>One channel to the server, with a client per service.</summary>
internal sealed class Connection : IDisposable
{
    private readonly GrpcChannel channel;

    public Connection(Uri server)
    {
        channel = GrpcChannel.ForAddress(server);
        Speakers = new SpeakerService.SpeakerServiceClient(channel);
        Claims = new ClaimService.ClaimServiceClient(channel);
    }

    public SpeakerService.SpeakerServiceClient Speakers { get; }
    public ClaimService.ClaimServiceClient Claims { get; }

    public void Dispose() => channel.Dispose();
}
