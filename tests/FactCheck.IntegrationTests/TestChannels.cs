using Grpc.Core;
using Grpc.Net.Client;

namespace FactCheck.IntegrationTests;

/// <summary>Channels to test servers, authenticated with a given API key (or none).</summary>
public static class TestChannels
{
    /// <summary>Every test server is configured with this admin key (Auth:Keys), see <see cref="Settings"/>.</summary>
    public const string AdminSecret = "fck_integration-test-admin";

    public static readonly string[] Settings =
    [
        "--Auth:Keys:0:Principal=test-admin",
        "--Auth:Keys:0:Roles=admin",
        $"--Auth:Keys:0:Secret={AdminSecret}",
    ];

    public static GrpcChannel Create(string address, string? secret = AdminSecret)
    {
        if (secret is null) return GrpcChannel.ForAddress(address);
        var credentials = CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", $"Bearer {secret}");
            return Task.CompletedTask;
        });
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, credentials),
            UnsafeUseInsecureChannelCallCredentials = true,
        });
    }
}
