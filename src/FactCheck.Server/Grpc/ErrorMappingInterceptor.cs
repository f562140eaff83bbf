using FactCheck.Core.Errors;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FactCheck.Server.Grpc;

/// <summary>
/// Turns domain failures into rich gRPC errors (AIP-193): a status code, ErrorInfo with an UPPER_SNAKE reason,
/// and BadRequest field violations or ResourceInfo where they apply. Anything else stays INTERNAL and is logged.
/// </summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public const string ErrorDomain = "factcheck.v1";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (FactCheckException e)
        {
            throw ToRpcException(e);
        }
        catch (Exception e) when (e is not RpcException && !context.CancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Unhandled error in {Method}", context.Method);
            throw;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (FactCheckException e)
        {
            throw ToRpcException(e);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (FactCheckException e)
        {
            throw ToRpcException(e);
        }
    }

    internal static RpcException ToRpcException(FactCheckException e)
    {
        var status = new Google.Rpc.Status { Message = e.Message };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = e.Reason, Domain = ErrorDomain }));
        switch (e)
        {
            case InvalidArgumentException invalid:
                status.Code = (int)Code.InvalidArgument;
                var badRequest = new BadRequest();
                badRequest.FieldViolations.AddRange(invalid.Violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
                status.Details.Add(Any.Pack(badRequest));
                break;
            case NotFoundException notFound:
                status.Code = (int)Code.NotFound;
                status.Details.Add(Any.Pack(ResourceInfo(notFound.ResourceName)));
                break;
            case AlreadyExistsException exists:
                status.Code = (int)Code.AlreadyExists;
                status.Details.Add(Any.Pack(ResourceInfo(exists.ResourceName)));
                break;
            case EtagMismatchException mismatch:
                status.Code = (int)Code.Aborted;
                status.Details.Add(Any.Pack(ResourceInfo(mismatch.ResourceName)));
                break;
            case UnauthenticatedException:
                status.Code = (int)Code.Unauthenticated;
                break;
            case PermissionDeniedException:
                status.Code = (int)Code.PermissionDenied;
                break;
            default:
                status.Code = (int)Code.FailedPrecondition;
                break;
        }
        return status.ToRpcException();
    }

    private static ResourceInfo ResourceInfo(string resourceName) => new()
    {
        ResourceType = resourceName.Split('/')[0],
        ResourceName = resourceName,
    };
}
