using FactCheck.Core.Access;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace FactCheck.Server.Access;

/// <summary>
/// The role each factcheck.v1 RPC needs, written out, and its place as an ASP.NET Core authorization policy on the
/// RPC's endpoints: its gRPC endpoint and its JSON transcoding routes alike. A method of the services missing from
/// the table, or a factcheck.v1 endpoint left without a policy, stops the server at start-up, so a new RPC cannot
/// ship unprotected by accident. Health checks, reflection and the benchmark handler are not factcheck.v1: open.
/// </summary>
public static class AccessRules
{
    private const string Package = "factcheck.v1.";

    /// <summary>Keyed by gRPC method path, <c>/factcheck.v1.ClaimService/GetClaim</c>.</summary>
    public static readonly IReadOnlyDictionary<string, Roles> RequiredRoles = BuildRoles();

    /// <summary>The policy of a role is named after it, <c>editor</c>; it admits principals holding that role
    /// (<see cref="Caller.Has"/>: admin holds every role, every role holds reader).</summary>
    public static string PolicyName(Roles role) => role.ToString().ToLowerInvariant();

    public static IEnumerable<Roles> AllRoles => Enum.GetValues<Roles>().Where(role => role != Roles.None);

    /// <summary>The API key scheme and one policy per role, each authenticating with that scheme.</summary>
    public static void AddApiKeyAccess(this IServiceCollection services)
    {
        // With a single scheme registered, ASP.NET Core makes it the default and authenticates every request with it,
        // the open ones too (health, the benchmark handler); only endpoints with a policy should pay for a key lookup.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(options =>
        {
            foreach (var role in AllRoles)
                options.AddPolicy(PolicyName(role), policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireRole(PolicyName(role)));
        });
        services.AddSingleton<IPolicyEvaluator, AccessPolicyEvaluator>();
    }

    /// <summary>Puts each method's policy on its endpoints (gRPC and JSON).</summary>
    public static GrpcServiceEndpointConventionBuilder RequireAccessRules(this GrpcServiceEndpointConventionBuilder service)
    {
        service.Add(endpoint =>
        {
            // The service's catch-all for methods it does not implement has no method: it answers UNIMPLEMENTED.
            if (endpoint.Metadata.OfType<GrpcMethodMetadata>().SingleOrDefault()?.Method.FullName is not { } method) return;
            if (!RequiredRoles.TryGetValue(method, out var role)) throw new InvalidOperationException($"no access rule for {method}");
            endpoint.Metadata.Add(new AuthorizeAttribute(PolicyName(role)));
            endpoint.Metadata.Add(new AccessRule(role));
        });
        return service;
    }

    /// <summary>Start-up check over every endpoint the server maps: each factcheck.v1 RPC carries a policy.</summary>
    public static void EnsureEveryRpcIsGuarded(IEnumerable<Endpoint> endpoints)
    {
        var unguarded = endpoints
            .Where(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.ServiceName.StartsWith(Package, StringComparison.Ordinal) == true
                && e.Metadata.GetMetadata<IAuthorizeData>() is null)
            .Select(e => e.DisplayName).ToList();
        if (unguarded.Count > 0) throw new InvalidOperationException($"no access policy on {string.Join(", ", unguarded)}");
    }

    /// <summary>Every factcheck.v1 method and the role it needs; start-up fails if a method of the services is
    /// missing or a rule names no method, so a new RPC cannot ship without a decision.</summary>
    private static Dictionary<string, Roles> BuildRoles()
    {
        var rules = new (Google.Protobuf.Reflection.ServiceDescriptor Service, Roles Role, string[] Methods)[]
        {
            (Proto.SpeakerService.Descriptor, Roles.Reader, ["GetSpeaker", "ListSpeakers", "ResolveSpeaker"]),
            (Proto.SpeakerService.Descriptor, Roles.Editor, ["CreateSpeaker", "UpdateSpeaker"]),
            (Proto.ClaimService.Descriptor, Roles.Reader, ["GetClaim", "BatchGetClaims", "ListClaims", "SearchClaims", "VerifyAttribution", "ListReviews",
                "ListClaimRevisions"]),
            (Proto.ClaimService.Descriptor, Roles.Editor, ["CreateClaim", "ImportClaims", "UpdateClaim", "DeleteClaim", "AddAppearance"]),
            (Proto.ClaimService.Descriptor, Roles.Reviewer, ["ReviewClaim"]),
            (Proto.ClaimRelationService.Descriptor, Roles.Reader, ["ListClaimRelations"]),
            (Proto.ClaimRelationService.Descriptor, Roles.Reviewer, ["ConfirmClaimRelation", "RejectClaimRelation"]),
            (Proto.AuditService.Descriptor, Roles.Auditor, ["ListAuditEvents", "WatchAuditEvents", "VerifyAuditLog"]),
            // Hashes only, and what outsiders (any key holder) need to check the log without trusting the server.
            (Proto.AuditService.Descriptor, Roles.Reader, ["GetCheckpoint", "GetInclusionProof", "GetConsistencyProof"]),
            (Proto.AdminService.Descriptor, Roles.Admin, ["CreateApiKey", "ListApiKeys", "RevokeApiKey"]),
        };
        var roles = rules.SelectMany(r => r.Methods.Select(m => (Key: $"/{r.Service.FullName}/{m}", r.Role)))
            .ToDictionary(r => r.Key, r => r.Role);
        var methods = rules.Select(r => r.Service).Distinct()
            .SelectMany(service => service.Methods.Select(m => $"/{service.FullName}/{m.Name}")).ToHashSet();
        var unruled = methods.Where(method => !roles.ContainsKey(method)).ToList();
        if (unruled.Count > 0) throw new InvalidOperationException($"no access rule for {string.Join(", ", unruled)}");
        var unknown = roles.Keys.Where(rule => !methods.Contains(rule)).ToList();
        if (unknown.Count > 0) throw new InvalidOperationException($"access rules for methods that do not exist: {string.Join(", ", unknown)}");
        return roles;
    }
}
