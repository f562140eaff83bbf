using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Threading.RateLimiting;
using FactCheck.Core.Access;
using FactCheck.Server.Grpc;
using FactCheck.Server.Hosting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.AspNetCore.RateLimiting;

namespace FactCheck.Server.Access;

/// <summary>
/// Per-principal limits, with ASP.NET Core's rate limiter, after authentication (the principal is the key's):
/// a token bucket per principal sized by its most generous role, and a bound on the streams (WatchAuditEvents,
/// ImportClaims) a principal holds open at once. A refusal is RESOURCE_EXHAUSTED with google.rpc.RetryInfo (on the JSON
/// routes HTTP 429 with Retry-After). Open endpoints (health, reflection, OpenAPI, the console's files) and refused
/// keys never reach a limiter.
/// </summary>
public static class RateLimits
{
    public const string SectionName = "RateLimits";
    private const string StreamPolicy = "streams";

    public static void AddRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<RateLimitOptions>() ?? new RateLimitOptions();
        var roleOf = new ConditionalWeakTable<ClaimsIdentity, object>();
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, (string Principal, Roles Role)>(context =>
                Caller(context, roleOf) is { } caller
                    ? RateLimitPartition.GetTokenBucketLimiter(caller, key => options.Bucket(key.Role))
                    : RateLimitPartition.GetNoLimiter<(string, Roles)>(default));
            limiter.AddPolicy(StreamPolicy, context =>
                Caller(context, roleOf) is { } caller
                    ? RateLimitPartition.GetConcurrencyLimiter(caller.Principal, _ => new ConcurrencyLimiterOptions { PermitLimit = options.StreamsPerPrincipal, QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = (rejected, _) => RefuseAsync(rejected);
        });
    }

    /// <summary>After authorization, so that the limit is the authenticated principal's.</summary>
    public static void UseRateLimits(this WebApplication app) => app.UseRateLimiter();

    /// <summary>Puts the stream bound on the service's streaming methods (gRPC and JSON endpoints alike).</summary>
    public static GrpcServiceEndpointConventionBuilder RequireStreamLimits(this GrpcServiceEndpointConventionBuilder service)
    {
        service.Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<GrpcMethodMetadata>().SingleOrDefault()?.Method.Type is MethodType.ServerStreaming or MethodType.ClientStreaming)
                endpoint.Metadata.Add(new EnableRateLimitingAttribute(StreamPolicy));
        });
        return service;
    }

    /// <summary>The authenticated principal and the role its limit follows; null on open endpoints. Reads the
    /// authentication feature, not HttpContext.User, which would allocate an anonymous principal on open calls.</summary>
    private static (string Principal, Roles Role)? Caller(HttpContext context, ConditionalWeakTable<ClaimsIdentity, object> roleOf)
    {
        if (context.Features.Get<IHttpAuthenticationFeature>()?.User?.Identity is not ClaimsIdentity { IsAuthenticated: true, Name: { } principal } identity)
            return null;
        // Identities are shared by every request of a key, so the role is worked out once per identity.
        return (principal, (Roles)roleOf.GetValue(identity, MostGenerousRole));
    }

    private static object MostGenerousRole(ClaimsIdentity identity) =>
        AccessRules.AllRoles.OrderByDescending(role => role).FirstOrDefault(role => identity.HasClaim(identity.RoleClaimType, AccessRules.PolicyName(role)), Roles.Reader);

    private static async ValueTask RefuseAsync(OnRejectedContext rejected)
    {
        var context = rejected.HttpContext;
        var method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName ?? context.Request.Path.ToString();
        var principal = context.User.Identity?.Name ?? "";
        context.RequestServices.GetRequiredService<ClientErrorLog>().Refused(method, $"{principal} over its rate or stream limit");
        var status = new Google.Rpc.Status { Code = (int)Code.ResourceExhausted };
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            // Whole seconds for Retry-After; the RetryInfo keeps the bucket's own figure.
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            status.Message = $"{principal} is over its request rate; retry in {retryAfter.TotalMilliseconds:0} ms";
            status.Details.Add(Any.Pack(new ErrorInfo { Reason = "RATE_LIMITED", Domain = ErrorMappingInterceptor.ErrorDomain }));
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }));
        }
        else
        {
            status.Message = $"{principal} already holds the most streams a principal may hold open; close one first";
            status.Details.Add(Any.Pack(new ErrorInfo { Reason = "TOO_MANY_STREAMS", Domain = ErrorMappingInterceptor.ErrorDomain }));
        }
        await StatusResponses.WriteAsync(context, status);
    }
}

/// <summary>The <c>RateLimits</c> configuration section. Defaults stay far above what one client of the service does,
/// and above the benchmark's single admin key (bench/run.sh, about 40,000 calls a second on two cores).</summary>
public sealed class RateLimitOptions
{
    /// <summary>Per role (reader, editor, reviewer, auditor, admin): sustained calls a second and the burst on top.</summary>
    public Dictionary<string, RoleRate> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["reader"] = new() { PerSecond = 2_000, Burst = 4_000 },
        ["editor"] = new() { PerSecond = 2_000, Burst = 4_000 },
        ["reviewer"] = new() { PerSecond = 2_000, Burst = 4_000 },
        ["auditor"] = new() { PerSecond = 2_000, Burst = 4_000 },
        ["admin"] = new() { PerSecond = 200_000, Burst = 200_000 },
    };

    /// <summary>Streams (WatchAuditEvents, ImportClaims) one principal may hold open at once.</summary>
    public int StreamsPerPrincipal { get; set; } = 16;

    /// <summary>The role's bucket, refilled at exactly its rate a second.</summary>
    public TokenBucketRateLimiterOptions Bucket(Core.Access.Roles role)
    {
        var rate = Roles.TryGetValue(AccessRules.PolicyName(role), out var configured) ? configured : new RoleRate();
        var perSecond = Math.Max(1, rate.PerSecond);
        // About ten refills a second rather than one, so a client at its rate is not refused in bursts; a rate under
        // ten a second gets one token a period, the period stretched to match (1/s: one token a second, not ten).
        var tokensPerPeriod = Math.Max(1, perSecond / 10);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, rate.Burst),
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)tokensPerPeriod / perSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}

public sealed class RoleRate
{
    public int PerSecond { get; set; } = 2_000;
    public int Burst { get; set; } = 4_000;
}
