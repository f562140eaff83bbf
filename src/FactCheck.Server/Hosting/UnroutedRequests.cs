using Google.Protobuf.WellKnownTypes;
using Google.Rpc;

namespace FactCheck.Server.Hosting;

/// <summary>
/// A JSON request that routing turns away gets a google.rpc.Status like every other error under <c>/v1</c>, not an
/// empty answer that leaves a client guessing whether the path, the verb or the server is wrong: no route for the path
/// is 404 NOT_FOUND; a path routes take, but not with this verb, is 405 UNIMPLEMENTED, with routing's Allow header.
/// </summary>
internal static class UnroutedRequests
{
    /// <summary>Only the JSON routes speak google.rpc.Status: the console, OpenAPI and probes keep their plain answers,
    /// and gRPC calls (whose paths are not under /v1) never pass through this, so the hot path pays nothing for it.</summary>
    public static void UseStatusForUnroutedRequests(this WebApplication app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/v1") && !StatusResponses.IsGrpc(context.Request),
            json => json.UseStatusCodePages(pages => DescribeAsync(pages.HttpContext)));

    private static Task DescribeAsync(HttpContext context)
    {
        var request = context.Request;
        // Routing's Allow is coarse: it names the verbs of every route of the path's shape, so GET apiKeys/k is told
        // POST, which only apiKeys/k:revoke takes. The message says so rather than promising a route.
        var (code, reason, shape) = context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => (Code.NotFound, "NO_SUCH_ROUTE", ""),
            StatusCodes.Status405MethodNotAllowed => (Code.Unimplemented, "METHOD_NOT_ALLOWED",
                $" (routes of this shape take {context.Response.Headers.Allow})"),
            _ => (Code.Ok, "", ""),
        };
        if (code == Code.Ok) return Task.CompletedTask;
        var status = new Google.Rpc.Status
        {
            Code = (int)code,
            Message = $"no JSON route takes {request.Method} {request.Path}{shape}; the routes are listed in /swagger/v1/swagger.json",
        };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = reason, Domain = Grpc.ErrorMappingInterceptor.ErrorDomain }));
        return StatusResponses.WriteJsonAsync(context.Response, status);
    }
}
