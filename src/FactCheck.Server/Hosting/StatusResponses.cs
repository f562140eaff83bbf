using System.Globalization;
using FactCheck.Server.Grpc;
using Google.Protobuf;
using GrpcStatusCode = Grpc.Core.StatusCode;

namespace FactCheck.Server.Hosting;

/// <summary>
/// Answers a request with a google.rpc.Status before it reaches its RPC (a refused key, a rate limit), the way the
/// RPC's own errors are answered: a gRPC call gets a trailers-only response (status in the headers, no message); a JSON
/// route gets the HTTP status of the code and the google.rpc.Status as JSON, as JSON transcoding answers an RPC's error.
/// </summary>
internal static class StatusResponses
{
    private static readonly JsonFormatter StatusJson = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithTypeRegistry(ErrorMappingInterceptor.DetailTypes));

    public static async Task WriteAsync(HttpContext context, Google.Rpc.Status status)
    {
        var response = context.Response;
        if (IsGrpc(context.Request))
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = Uri.EscapeDataString(status.Message);
            response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
            await response.CompleteAsync();
            await DiscardRequestAsync(context);
            return;
        }
        response.StatusCode = (GrpcStatusCode)status.Code switch
        {
            GrpcStatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
            GrpcStatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
            GrpcStatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
            GrpcStatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        };
        if (response.StatusCode == StatusCodes.Status401Unauthorized) response.Headers.WWWAuthenticate = "Bearer";
        await WriteJsonAsync(response, status);
    }

    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The status as the JSON body of an answer whose HTTP status is already set.</summary>
    public static Task WriteJsonAsync(HttpResponse response, Google.Rpc.Status status)
    {
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(StatusJson.Format(status));
    }

    /// <summary>
    /// Reads what the client is still sending, so HTTP/2 does not reset its stream under it: a .NET client writing a
    /// client-streaming request when the reset arrives reports CANCELLED instead of the status sent. Bounded, so a
    /// refused caller cannot hold the server: one message of the largest size, for two seconds at most.
    /// </summary>
    private static async Task DiscardRequestAsync(HttpContext context)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        long discarded = 0;
        try
        {
            while (discarded <= FactCheckHost.MaxReceiveMessageBytes)
            {
                var read = await context.Request.BodyReader.ReadAsync(timeout.Token);
                discarded += read.Buffer.Length;
                context.Request.BodyReader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted) return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client gave up or was too slow: the stream is reset, as it would have been.
        }
    }
}
