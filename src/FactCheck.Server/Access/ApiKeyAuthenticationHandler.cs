using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Encodings.Web;
using FactCheck.Core.Access;
using FactCheck.Core.Errors;
using FactCheck.Server.Grpc;
using FactCheck.Server.Hosting;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FactCheck.Server.Access;

/// <summary>
/// Authenticates a request by its API key (<c>authorization: Bearer &lt;secret&gt;</c>) as the principal the key
/// belongs to, with a role claim for each role it holds (<see cref="Caller.Has"/>). Runs only for endpoints with an
/// access policy (<see cref="AccessRules"/>). A refusal is answered as the RPC's own errors are: on gRPC,
/// UNAUTHENTICATED or PERMISSION_DENIED with google.rpc.ErrorInfo; on the JSON routes, HTTP 401 or 403 with the same
/// google.rpc.Status as JSON.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder, ApiKeyRegistry keys,
    ClientErrorLog clientErrors)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    // The registry hands out one Caller per key for as long as it caches the key, so that key's requests share one
    // principal and one result (read-only) instead of building a dozen objects each.
    private static readonly ConditionalWeakTable<Caller, AuthenticateResult> Results = new();

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        // A refusal the access policies already met in this request (AccessPolicyEvaluator): the same answer, without
        // asking the key store again.
        Context.Features.Get<Refusal>() is { } refusal
            ? Task.FromResult(refusal.Result)
            : AuthenticateAsync(Context, keys).AsTask();

    /// <summary>
    /// The one way a request is authenticated, whether through this handler or the access policies' fast path: no
    /// key is no result, an unknown or revoked key a failure, and a key store that does not answer a failure carrying
    /// that error (the challenge reports it as UNAVAILABLE, not as a bad key).
    /// </summary>
    internal static async ValueTask<AuthenticateResult> AuthenticateAsync(HttpContext context, ApiKeyRegistry keys)
    {
        var secret = BearerToken(context.Request.Headers.Authorization.ToString());
        if (secret is null) return AuthenticateResult.NoResult();
        try
        {
            return await keys.AuthenticateAsync(secret, context.RequestAborted) is { } caller
                ? Results.GetValue(caller, SuccessOf)
                : AuthenticateResult.Fail(new UnauthenticatedException("unknown or revoked API key"));
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            return AuthenticateResult.Fail(e);
        }
    }

    /// <summary>Kept on the request when the access policies refused it, for the challenge to answer.</summary>
    internal sealed record Refusal(AuthenticateResult Result);

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure
            ?? new UnauthenticatedException("an API key is required: send 'authorization: Bearer <key>'");
        var method = RpcMethod();
        if (failure is not FactCheckException known)
        {
            await WriteAsync(ErrorMappingInterceptor.Unexpected(failure, method, Logger));
            return;
        }
        clientErrors.Refused(method, known.Message);
        await WriteAsync(ErrorMappingInterceptor.StatusOf(known));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var method = RpcMethod();
        var role = AccessRules.RequiredRoles.TryGetValue(method, out var required) ? AccessRules.PolicyName(required) : "required";
        var denied = new PermissionDeniedException($"{Context.User.Identity?.Name} lacks the {role} role that {method} needs");
        clientErrors.Refused(method, denied.Message);
        return WriteAsync(ErrorMappingInterceptor.StatusOf(denied));
    }

    /// <summary>The identity every audit record names: the key's principal, never a name the client supplied.</summary>
    private static AuthenticateResult SuccessOf(Caller caller)
    {
        var identity = new ClaimsIdentity(SchemeName);
        identity.AddClaim(new Claim(identity.NameClaimType, caller.Principal));
        foreach (var role in AccessRules.AllRoles.Where(caller.Has))
            identity.AddClaim(new Claim(identity.RoleClaimType, AccessRules.PolicyName(role)));
        return AuthenticateResult.Success(new AuthenticationTicket(new CallerPrincipal(caller, identity), SchemeName));
    }

    private static string? BearerToken(string header)
    {
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length
            ? header[scheme.Length..].Trim()
            : null;
    }

    private string RpcMethod() => Context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName ?? Request.Path;

    private Task WriteAsync(Google.Rpc.Status status) => StatusResponses.WriteAsync(Context, status);
}
