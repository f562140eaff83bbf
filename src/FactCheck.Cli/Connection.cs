using Grpc.Net.Client;

namespace FactCheck.Cli;

/// <summary>One channel to the server, with a client per service.</summary>
internal sealed class Connection : IDisposable
{
    private readonly GrpcChannel channel;

    public Connection(Uri server, string? apiKey)
    {
        var options = new GrpcChannelOptions();
        if (!string.IsNullOrEmpty(apiKey))
        {
            var credentials = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", $"Bearer {apiKey}");
                return Task.CompletedTask;
            });
            options.Credentials = ChannelCredentials.Create(server.Scheme == "https" ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, credentials);
            // Plain http is for a server on this machine or a private network; the key still has to travel.
            options.UnsafeUseInsecureChannelCallCredentials = server.Scheme == "http";
        }
        channel = GrpcChannel.ForAddress(server, options);
        Speakers = new SpeakerService.SpeakerServiceClient(channel);
        Claims = new ClaimService.ClaimServiceClient(channel);
        Relations = new ClaimRelationService.ClaimRelationServiceClient(channel);
        Audit = new AuditService.AuditServiceClient(channel);
        Admin = new AdminService.AdminServiceClient(channel);
    }

    public SpeakerService.SpeakerServiceClient Speakers { get; }
    public ClaimService.ClaimServiceClient Claims { get; }
    public ClaimRelationService.ClaimRelationServiceClient Relations { get; }
    public AuditService.AuditServiceClient Audit { get; }
    public AdminService.AdminServiceClient Admin { get; }

    public void Dispose() => channel.Dispose();
}
