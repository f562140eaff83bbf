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
/// Health checks, reflection and the benchmark-mode empty handler stay open. A factcheck.v1 method missing from <see cref="RequiredRoles"/> is
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

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using (await AuthorizeAsync(context))
            await continuation(requestStream, responseStream, context);
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
        if (!context.Method.StartsWith("/factcheck.v1.", StringComparison.Ordinal)) return null;
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

    /// <summary>Every factcheck.v1 method and the role it needs, written out; start-up fails if a method of the
    /// services is missing, so a new RPC cannot ship without a decision.</summary>
    private static Dictionary<string, Roles> BuildRoles()
    {
        var rules = new (Google.Protobuf.Reflection.ServiceDescriptor Service, Roles Role, string[] Methods)[]
        {
            (Proto.SpeakerService.Descriptor, Roles.Reader, ["GetSpeaker", "ListSpeakers", "ResolveSpeaker"]),
            (Proto.SpeakerService.Descriptor, Roles.Editor, ["CreateSpeaker", "UpdateSpeaker"]),
            (Proto.ClaimService.Descriptor, Roles.Reader, ["GetClaim", "BatchGetClaims", "ListClaims", "SearchClaims", "VerifyAttribution", "ListReviews"]),
            (Proto.ClaimService.Descriptor, Roles.Editor, ["CreateClaim", "ImportClaims", "UpdateClaim", "DeleteClaim", "AddAppearance"]),
            (Proto.ClaimService.Descriptor, Roles.Reviewer, ["ReviewClaim"]),
            (Proto.AuditService.Descriptor, Roles.Auditor, ["ListAuditEvents", "WatchAuditEvents", "VerifyAuditLog"]),
            (Proto.AdminService.Descriptor, Roles.Admin, ["CreateApiKey", "ListApiKeys", "RevokeApiKey"]),
        };
        var roles = rules.SelectMany(r => r.Methods.Select(m => (Key: $"/{r.Service.FullName}/{m}", r.Role)))
            .ToDictionary(r => r.Key, r => r.Role);
        var unruled = rules.Select(r => r.Service).Distinct()
            .SelectMany(service => service.Methods.Select(m => $"/{service.FullName}/{m.Name}"))
            .Where(method => !roles.ContainsKey(method)).ToList();
        if (unruled.Count > 0) throw new InvalidOperationException($"no access rule for {string.Join(", ", unruled)}");
        return roles;
    }
}
