using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Encodings.Web;
using FactCheck.Core.Access;
using FactCheck.Core.Errors;
using FactCheck.Server.Grpc;
using FactCheck.Server.Hosting;
using Google.Protobuf;
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
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder, ApiKeyRegistry keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    // The registry hands out one Caller per key for as long as it caches the key, so that key's requests share one
    // principal and one result (read-only) instead of building a dozen objects each.
    private static readonly ConditionalWeakTable<Caller, AuthenticateResult> Results = new();

    private static readonly JsonFormatter StatusJson = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithTypeRegistry(ErrorMappingInterceptor.DetailTypes));

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
        await WriteAsync(failure is FactCheckException known
            ? ErrorMappingInterceptor.StatusOf(known)
            : ErrorMappingInterceptor.Unexpected(failure, method, Logger));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var method = RpcMethod();
        var role = AccessRules.RequiredRoles.TryGetValue(method, out var required) ? AccessRules.PolicyName(required) : "required";
        return WriteAsync(ErrorMappingInterceptor.StatusOf(
            new PermissionDeniedException($"{Context.User.Identity?.Name} lacks the {role} role that {method} needs")));
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

    /// <summary>A gRPC call gets a trailers-only response (status in the headers, no message); a JSON route gets the
    /// HTTP status of the code and the google.rpc.Status as JSON, as JSON transcoding answers an RPC's error.</summary>
    private async Task WriteAsync(Google.Rpc.Status status)
    {
        if (Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            Response.StatusCode = StatusCodes.Status200OK;
            Response.ContentType = "application/grpc";
            Response.Headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
            Response.Headers["grpc-message"] = Uri.EscapeDataString(status.Message);
            Response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
            await Response.CompleteAsync();
            await DiscardRequestAsync();
            return;
        }
        Response.StatusCode = (global::Grpc.Core.StatusCode)status.Code switch
        {
            global::Grpc.Core.StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
            global::Grpc.Core.StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
            global::Grpc.Core.StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        };
        if (Response.StatusCode == StatusCodes.Status401Unauthorized) Response.Headers.WWWAuthenticate = "Bearer";
        Response.ContentType = "application/json; charset=utf-8";
        await Response.WriteAsync(StatusJson.Format(status));
    }

    /// <summary>
    /// Reads what the client is still sending, so HTTP/2 does not reset its stream under it: a .NET client writing a
    /// client-streaming request when the reset arrives reports CANCELLED instead of the status sent. Bounded, so a
    /// caller without a key cannot hold the server: one message of the largest size, for two seconds at most.
    /// </summary>
    private async Task DiscardRequestAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        long discarded = 0;
        try
        {
            while (discarded <= FactCheckHost.MaxReceiveMessageBytes)
            {
                var read = await Request.BodyReader.ReadAsync(timeout.Token);
                discarded += read.Buffer.Length;
                Request.BodyReader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted) return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client gave up or was too slow: the stream is reset, as it would have been.
        }
    }
}
