using FactCheck.Core.Errors;
using FactCheck.Core.Storage;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core.Interceptors;

namespace FactCheck.Server.Grpc;

/// <summary>
/// Turns failures into rich gRPC errors (AIP-193): a status code, ErrorInfo with an UPPER_SNAKE reason, and
/// BadRequest field violations or ResourceInfo where they apply. A database that cannot be reached or stays busy
/// (as the store reports it: <see cref="StoreUnavailableException"/>, <see cref="StoreBusyException"/>) is
/// UNAVAILABLE (clients retry that); anything else unexpected is INTERNAL with a generic message, logged once here.
/// </summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public const string ErrorDomain = "factcheck.v1";

    /// <summary>The detail messages errors carry, for writers of google.protobuf.Any as JSON.</summary>
    public static readonly TypeRegistry DetailTypes = TypeRegistry.FromMessages(ErrorInfo.Descriptor, BadRequest.Descriptor, Google.Rpc.ResourceInfo.Descriptor,
        PreconditionFailure.Descriptor);

    // Each handler awaits the call in its own try block, with no delegate or closure per call: this interceptor wraps
    // every RPC, so the wrapping is kept to one async frame.
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (Mapped(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client hung up while a message was being written, so no one is left to answer. Passed on, the
            // cancellation would be logged by JSON transcoding as a server error, with its stack trace.
        }
        catch (Exception e) when (Mapped(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (Mapped(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (Mapped(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>The RPC error a failure is answered with, or null to let it pass as it is (an RpcException already,
    /// or a cancellation).</summary>
    private RpcException? Mapped(Exception e, ServerCallContext context) => e switch
    {
        FactCheckException known => ToRpcException(known),
        RpcException or OperationCanceledException => null,
        _ when context.CancellationToken.IsCancellationRequested => null,
        _ => Unexpected(e, context.Method, logger).ToRpcException(),
    };

    /// <summary>UNAVAILABLE for a database that cannot be reached, else INTERNAL with a generic message; logged here.
    /// Also used for failures before a call starts (authentication's key lookup).</summary>
    internal static Google.Rpc.Status Unexpected(Exception e, string method, ILogger logger)
    {
        var unavailable = IsStoreUnreachable(e);
        logger.LogError(e, "{Outcome} in {Method}", unavailable ? "Store unreachable" : "Unhandled error", method);
        var status = new Google.Rpc.Status
        {
            Code = (int)(unavailable ? Code.Unavailable : Code.Internal),
            Message = unavailable ? "the database is not answering; retry later" : "internal error; it has been logged",
        };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = unavailable ? "STORE_UNAVAILABLE" : "INTERNAL", Domain = ErrorDomain }));
        return status;
    }

    private static bool IsStoreUnreachable(Exception e) => e switch
    {
        TimeoutException => true,
        System.Net.Sockets.SocketException => true,
        StoreUnavailableException or StoreBusyException => true,
        _ => e.InnerException is { } inner && IsStoreUnreachable(inner),
    };

    internal static RpcException ToRpcException(FactCheckException e) => StatusOf(e).ToRpcException();

    internal static Google.Rpc.Status StatusOf(FactCheckException e)
    {
        var status = new Google.Rpc.Status { Code = (int)CodeOf(e), Message = e.Message };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = e.Reason, Domain = ErrorDomain }));
        switch (e)
        {
            case InvalidArgumentException invalid:
                var badRequest = new BadRequest();
                badRequest.FieldViolations.AddRange(invalid.Violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
                status.Details.Add(Any.Pack(badRequest));
                break;
            case ResourceException resource:
                status.Details.Add(Any.Pack(ResourceInfo(resource.ResourceName)));
                break;
            case FailedPreconditionException precondition:
                var failure = new PreconditionFailure();
                failure.Violations.Add(new PreconditionFailure.Types.Violation { Type = precondition.Reason, Subject = precondition.Field, Description = precondition.Description });
                status.Details.Add(Any.Pack(failure));
                break;
        }
        return status;
    }

    private static Code CodeOf(FactCheckException e) => e switch
    {
        InvalidArgumentException => Code.InvalidArgument,
        NotFoundException => Code.NotFound,
        AlreadyExistsException => Code.AlreadyExists,
        EtagMismatchException => Code.Aborted,
        UnauthenticatedException => Code.Unauthenticated,
        PermissionDeniedException => Code.PermissionDenied,
        _ => Code.FailedPrecondition,
    };

    private static ResourceInfo ResourceInfo(string resourceName) => new()
    {
        ResourceType = resourceName.Split('/')[0],
        ResourceName = resourceName,
    };
}
