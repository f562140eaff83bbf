using Grpc.Core;
using Grpc.Net.Client;

namespace FactCheck.Bench;

public static class Channels
{
    public static string ApiKey(Args args) =>
        args.String("api-key") ?? Environment.GetEnvironmentVariable("FACTCHECK_API_KEY")
        ?? throw new UsageException("an API key is required: --api-key or FACTCHECK_API_KEY");

    /// <summary>One channel = one HTTP/2 connection (multiple connections disabled so K channels really are K connections).</summary>
    public static GrpcChannel Create(string address, string apiKey)
    {
        var header = $"Bearer {apiKey}";
        var credentials = CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", header);
            return Task.CompletedTask;
        });
        var secure = address.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(secure ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, credentials),
            UnsafeUseInsecureChannelCallCredentials = !secure,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = false,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            },
        });
    }
}
