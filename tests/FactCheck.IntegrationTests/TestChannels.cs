using Grpc.Core;
using Grpc.Net.Client;

namespace FactCheck.IntegrationTests;

/// <summary>Channels to test servers, authenticated with a given API key (or none).</summary>
public static class TestChannels
{
    /// <summary>Every test server is configured with this admin key (Auth:Keys), see <see cref="Settings"/>.</summary>
    public const string AdminSecret = "fck_integration-test-admin";

    /// <summary>The settings every test server starts with, before its own. Servers verify by words alone unless a test
    /// asks for the sentence model (<see cref="WithModel"/>): the model costs seconds to load and ~300 MB a server.</summary>
    public static readonly string[] Settings =
    [
        "--Auth:Keys:0:Principal=test-admin",
        "--Auth:Keys:0:Roles=admin",
        $"--Auth:Keys:0:Secret={AdminSecret}",
        "--Semantics:Embedder=none",
    ];

    /// <summary>A test server's settings for verification by meaning: the model, vectors re-ranked from the heap (a small
    /// record), the vector feed read every 200 ms.</summary>
    public static readonly string[] WithModel =
        ["--Semantics:Embedder=minilm", "--Semantics:RescoreVectors=heap", "--Semantics:PollInterval=00:00:00.200"];

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
