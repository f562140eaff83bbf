using FactCheck.Core.Audit;

namespace FactCheck.Server.Access;

/// <summary>The caller of an RPC, as its API key authenticated it (<see cref="ApiKeyAuthenticationHandler"/>).</summary>
public static class Callers
{
    /// <summary>The audit actor for a call: the authenticated principal, never a name the client supplied.</summary>
    public static Actor ActorOf(ServerCallContext context, string? reason = null, string? requestId = null) =>
        new(context.GetHttpContext().User.Identity?.Name ?? throw new InvalidOperationException($"{context.Method} ran without an authenticated caller"),
            string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), string.IsNullOrEmpty(requestId) ? null : requestId);
}
