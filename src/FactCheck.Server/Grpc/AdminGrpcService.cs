using FactCheck.Core;
using FactCheck.Core.Access;
using FactCheck.Server.Access;
using Google.Protobuf.WellKnownTypes;

namespace FactCheck.Server.Grpc;

/// <summary>factcheck.v1.AdminService: API keys.</summary>
public sealed class AdminGrpcService(ApiKeyRegistry keys) : Proto.AdminService.AdminServiceBase
{
    private const string Collection = "apiKeys";

    public override async Task<Proto.CreateApiKeyResponse> CreateApiKey(Proto.CreateApiKeyRequest request, ServerCallContext context)
    {
        var draft = request.ApiKey ?? throw new Core.Errors.InvalidArgumentException("api_key", "required");
        var roles = draft.Roles.Aggregate(Roles.None, (all, role) => all | RoleOf(role));
        var (key, secret) = await keys.CreateAsync(draft.Principal, roles, draft.Description, Callers.ActorOf(context, request.Reason), context.CancellationToken);
        return new Proto.CreateApiKeyResponse { ApiKey = ToProto(key), Secret = secret };
    }

    public override async Task<Proto.ListApiKeysResponse> ListApiKeys(Proto.ListApiKeysRequest request, ServerCallContext context)
    {
        var response = new Proto.ListApiKeysResponse();
        response.ApiKeys.AddRange((await keys.ListAsync(context.CancellationToken)).Select(ToProto));
        return response;
    }

    public override async Task<Proto.ApiKey> RevokeApiKey(Proto.RevokeApiKeyRequest request, ServerCallContext context)
    {
        var id = ResourceNames.ParseId(Collection, request.Name, "name");
        return ToProto(await keys.RevokeAsync(id, Callers.ActorOf(context, request.Reason), context.CancellationToken));
    }

    private static Roles RoleOf(Proto.AccessRole role) => role switch
    {
        Proto.AccessRole.Reader => Roles.Reader,
        Proto.AccessRole.Editor => Roles.Editor,
        Proto.AccessRole.Reviewer => Roles.Reviewer,
        Proto.AccessRole.Auditor => Roles.Auditor,
        Proto.AccessRole.Admin => Roles.Admin,
        _ => throw new Core.Errors.InvalidArgumentException("api_key.roles", $"{role} is not a role"),
    };

    private static Proto.ApiKey ToProto(ApiKey key)
    {
        var proto = new Proto.ApiKey
        {
            Name = key.ResourceName,
            Principal = key.Principal,
            Description = key.Description ?? "",
            CreateTime = Timestamp.FromDateTimeOffset(key.CreateTime),
            RevokeTime = key.RevokeTime is { } revoked ? Timestamp.FromDateTimeOffset(revoked) : null,
        };
        foreach (var role in System.Enum.GetValues<Proto.AccessRole>().Where(r => r != Proto.AccessRole.Unspecified))
            if (key.Roles.HasFlag(RoleOf(role))) proto.Roles.Add(role);
        return proto;
    }
}
