using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FactCheck.Server.Grpc;

/// <summary>
/// A request body that is not the protobuf message the method takes (a truncated key, wire type 7, a length past the
/// end, invalid UTF-8 in a string) is the client's error: INVALID_ARGUMENT with ErrorInfo reason MALFORMED_REQUEST, on
/// every call kind, logged as one rate-limited line without a stack trace.
///
/// grpc-dotnet parses a unary or server-streaming request before any interceptor runs, so a parse failure there never
/// reaches <see cref="ErrorMappingInterceptor"/> and became UNKNOWN, logged twice with its stack trace. The request
/// parser lives in each method's marshaller, which the generated <c>BindService</c> hands to the binder, so this
/// binds services the way grpc-dotnet's own (internal) binder provider does, with each request marshaller wrapped.
/// The wrapper is a try around the same parse: nothing is added to a well-formed call.
/// </summary>
internal static class MalformedRequests
{
    public const string Reason = "MALFORMED_REQUEST";

    /// <summary>Binds every gRPC service through <see cref="GuardedMethodProvider{TService}"/> instead of grpc-dotnet's
    /// default binder (which would map every method a second time).</summary>
    public static void AddMalformedRequestGuard(this IServiceCollection services)
    {
        services.RemoveAll(d => d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.Name == "BinderServiceMethodProvider`1");
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(GuardedMethodProvider<>)));
        services.AddSingleton<ClientErrorLog>();
    }

    private static void RemoveAll(this IServiceCollection services, Func<ServiceDescriptor, bool> match)
    {
        foreach (var descriptor in services.Where(match).ToList()) services.Remove(descriptor);
    }

    internal static Marshaller<T> Guarded<T>(Marshaller<T> marshaller, string method, ClientErrorLog log) =>
        new(marshaller.ContextualSerializer, context =>
        {
            try
            {
                return marshaller.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException e)
            {
                log.Malformed(method, e.Message);
                throw ToRpcException(typeof(T), e.Message);
            }
        });

    private static RpcException ToRpcException(System.Type messageType, string problem)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = $"the request body is not a valid {Describe(messageType)}: {problem}",
        };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = Reason, Domain = ErrorMappingInterceptor.ErrorDomain }));
        return status.ToRpcException();
    }

    private static string Describe(System.Type messageType) =>
        messageType.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is Google.Protobuf.Reflection.MessageDescriptor descriptor
            ? descriptor.FullName
            : messageType.Name;
}

/// <summary>
/// Discovers a service's methods from its generated <c>BindService(ServiceBinderBase, TBase)</c>, as grpc-dotnet's
/// default provider does (same invoker, same endpoint metadata), with the request marshaller guarded.
/// </summary>
internal sealed class GuardedMethodProvider<TService>(ClientErrorLog log) : IServiceMethodProvider<TService> where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var attribute = typeof(TService).GetCustomAttribute<BindServiceMethodAttribute>(inherit: true);
        if (attribute is null) return; // not a generated service: nothing to bind
        var bind = attribute.BindType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Single(m => m.Name == attribute.BindMethodName && m.GetParameters() is [{ ParameterType: var binder }, _] && binder == typeof(ServiceBinderBase));
        bind.Invoke(null, [new Binder(context, log), null]);
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, ClientErrorLog log) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(Guard(method), Metadata(method, out var target, typeof(TRequest), typeof(ServerCallContext)),
                Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(target));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(Guard(method),
                Metadata(method, out var target, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)),
                Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(target));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(Guard(method),
                Metadata(method, out var target, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)),
                Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(target));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(Guard(method),
                Metadata(method, out var target, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)),
                Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(target));

        private Method<TRequest, TResponse> Guard<TRequest, TResponse>(Method<TRequest, TResponse> method) =>
            new(method.Type, method.ServiceName, method.Name, MalformedRequests.Guarded(method.RequestMarshaller, method.FullName, log), method.ResponseMarshaller);

        /// <summary>The service's public instance method (its override, or the generated base one that answers
        /// UNIMPLEMENTED) and the endpoint metadata grpc-dotnet gives it: the service's attributes, then the method's.</summary>
        private static List<object> Metadata(IMethod method, out MethodInfo target, params System.Type[] parameters)
        {
            target = typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, parameters)
                ?? throw new InvalidOperationException($"Could not find '{method.Name}' on {typeof(TService)}.");
            var metadata = new List<object>();
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
            metadata.AddRange(target.GetCustomAttributes(inherit: true));
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return metadata;
        }

        private static TDelegate Invoker<TDelegate>(MethodInfo target) where TDelegate : Delegate =>
            (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), target);
    }
}
