using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace FactCheck.Server.Grpc;

/// <summary>
/// Logs written while an authenticated call runs name its principal (never its key). Opened here, around the service
/// method only, the scope cost about 1 µs of CPU per cached GetClaim; opened by middleware around the whole request,
/// about 5 µs, since it then also wraps the response writes and every continuation they schedule. Registered as a
/// singleton: it holds nothing per call.
/// </summary>
public sealed class CallerLogScopeInterceptor(ILogger<CallerLogScopeInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using (Scope(context))
            return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using (Scope(context))
            await continuation(request, responseStream, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using (Scope(context))
            return await continuation(requestStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using (Scope(context))
            await continuation(requestStream, responseStream, context);
    }

    private static readonly Func<ILogger, string, IDisposable?> PrincipalScope = LoggerMessage.DefineScope<string>("Principal: {Principal}");

    // The authentication feature, not HttpContext.User: on an open call that would allocate an anonymous principal.
    private IDisposable? Scope(ServerCallContext context) =>
        context.GetHttpContext().Features.Get<IHttpAuthenticationFeature>()?.User?.Identity is { IsAuthenticated: true, Name: { } principal }
            ? PrincipalScope(logger, principal)
            : null;
}
