using FactCheck.Core.Access;
using FactCheck.Core.Audit;
using FactCheck.Core.Errors;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Proto = FactCheck.V1;

namespace FactCheck.Server.Grpc;

/// <summary>
/// Authenticates every factcheck.v1 call by its API key (<c>authorization: Bearer &lt;secret&gt;</c>) and checks
/// the role the method needs before the method runs (so PERMISSION_DENIED comes before NOT_FOUND, AIP-193).
/// Health checks and reflection stay open. A factcheck.v1 method missing from <see cref="RequiredRoles"/> is
/// refused, so a new RPC cannot ship unprotected by accident.
/// </summary>
public sealed class AuthInterceptor(ApiKeyRegistry keys, ILogger<AuthInterceptor> logger) : Interceptor
{
    private const string CallerKey = "factcheck.caller";

    public static readonly IReadOnlyDictionary<string, Roles> RequiredRoles = BuildRoles();

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using (await AuthorizeAsync(context))
            return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using (await AuthorizeAsync(context))
            await continuation(request, responseStream, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using (await AuthorizeAsync(context))
            return await continuation(requestStream, context);
    }

    /// <summary>The audit actor for a call: the authenticated principal, never a name the client supplied.</summary>
    public static Actor ActorOf(ServerCallContext context, string? reason = null, string? requestId = null) =>
        new(((Caller)context.UserState[CallerKey]).Principal, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), string.IsNullOrEmpty(requestId) ? null : requestId);

    /// <summary>Checks the call and returns a logging scope naming the principal (never the key) for its duration.</summary>
    private async Task<IDisposable?> AuthorizeAsync(ServerCallContext context)
    {
        if (!context.Method.StartsWith("/factcheck.", StringComparison.Ordinal)) return null;
        if (!RequiredRoles.TryGetValue(context.Method, out var required))
            throw new PermissionDeniedException($"{context.Method} has no access rule");
        var secret = BearerToken(context);
        if (secret is null) throw new UnauthenticatedException("an API key is required: send 'authorization: Bearer <key>'");
        var caller = await keys.AuthenticateAsync(secret, context.CancellationToken)
            ?? throw new UnauthenticatedException("unknown or revoked API key");
        if (!caller.Has(required))
            throw new PermissionDeniedException($"{caller.Principal} lacks the {required.ToString().ToLowerInvariant()} role that {context.Method} needs");
        context.UserState[CallerKey] = caller;
        return logger.BeginScope(new Dictionary<string, object> { ["Principal"] = caller.Principal });
    }

    private static string? BearerToken(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization");
        const string scheme = "Bearer ";
        return header is not null && header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length
            ? header[scheme.Length..].Trim()
            : null;
    }

    private static Dictionary<string, Roles> BuildRoles()
    {
        var roles = new Dictionary<string, Roles>();
        void Add(Google.Protobuf.Reflection.ServiceDescriptor service, Func<string, Roles> roleOf)
        {
            foreach (var method in service.Methods) roles[$"/{service.FullName}/{method.Name}"] = roleOf(method.Name);
        }
        static Roles ReadOrEdit(string method) => method switch
        {
            _ when method.StartsWith("Get") || method.StartsWith("List") || method.StartsWith("BatchGet")
                || method.StartsWith("Search") || method.StartsWith("Resolve") || method.StartsWith("Verify") => Roles.Reader,
            "ReviewClaim" => Roles.Reviewer,
            _ => Roles.Editor,
        };
        Add(Proto.SpeakerService.Descriptor, ReadOrEdit);
        Add(Proto.ClaimService.Descriptor, ReadOrEdit);
        Add(Proto.AuditService.Descriptor, _ => Roles.Auditor);
        Add(Proto.AdminService.Descriptor, _ => Roles.Admin);
        return roles;
    }
}
