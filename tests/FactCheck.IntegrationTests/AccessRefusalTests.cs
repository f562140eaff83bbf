using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using FactCheck.Server.Access;
using FactCheck.V1;
using Google.Rpc;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace FactCheck.IntegrationTests;

/// <summary>How a refused call is answered, on gRPC and on the JSON routes, and the start-up check of the rules.</summary>
public sealed class AccessRefusalTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const int Timeout = 60_000;

    [Fact(Timeout = Timeout)]
    public async Task GrpcRefusalsCarryErrorInfo()
    {
        using var anonymous = TestChannels.Create(server.Address, secret: null);
        var unauthenticated = await RpcAssert.FailsWith(StatusCode.Unauthenticated,
            () => new SpeakerService.SpeakerServiceClient(anonymous).ListSpeakersAsync(new ListSpeakersRequest()).ResponseAsync);
        Assert.Equal("UNAUTHENTICATED", unauthenticated.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);

        using var reader = TestChannels.Create(server.Address, await CreateKeyAsync("refused reader", AccessRole.Reader));
        var denied = await RpcAssert.FailsWith(StatusCode.PermissionDenied,
            () => new AdminService.AdminServiceClient(reader).ListApiKeysAsync(new ListApiKeysRequest()).ResponseAsync);
        Assert.Equal("PERMISSION_DENIED", denied.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        Assert.Contains("admin", denied.Status.Detail);
    }

    [Fact(Timeout = Timeout)]
    public async Task JsonRefusalsAre401And403WithTheStatusAsJson()
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.HttpAddress) };
        await AssertRefusedAsync(http, "/v1/speakers", HttpStatusCode.Unauthorized, Code.Unauthenticated, "UNAUTHENTICATED");

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "fck_not-a-key");
        await AssertRefusedAsync(http, "/v1/speakers", HttpStatusCode.Unauthorized, Code.Unauthenticated, "UNAUTHENTICATED");

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await CreateKeyAsync("json reader", AccessRole.Reader));
        await AssertRefusedAsync(http, "/v1/apiKeys", HttpStatusCode.Forbidden, Code.PermissionDenied, "PERMISSION_DENIED");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/speakers")).StatusCode);
    }

    [Fact(Timeout = Timeout)]
    public Task EveryMethodOfTheServicesHasARule() => Task.Run(() =>
    {
        var methods = new[] { SpeakerService.Descriptor, ClaimService.Descriptor, ClaimRelationService.Descriptor, AuditService.Descriptor, AdminService.Descriptor }
            .SelectMany(service => service.Methods).Select(method => $"/{method.Service.FullName}/{method.Name}");
        Assert.Equal(methods.Order(), AccessRules.RequiredRoles.Keys.Order());
    });

    [Fact(Timeout = Timeout)]
    public Task StartUpRefusesAFactCheckRpcWithoutAPolicy() => Task.Run(() =>
    {
        var getClaim = Endpoint("factcheck.v1.ClaimService", "GetClaim");
        var guarded = Endpoint("factcheck.v1.ClaimService", "GetClaim", new AuthorizeAttribute("reader"));
        var health = Endpoint("grpc.health.v1.Health", "Check");

        var e = Assert.Throws<InvalidOperationException>(() => AccessRules.EnsureEveryRpcIsGuarded([guarded, getClaim, health]));
        Assert.Contains("GetClaim", e.Message);
        AccessRules.EnsureEveryRpcIsGuarded([guarded, health]);
    });

    private static Endpoint Endpoint(string service, string method, params object[] metadata)
    {
        var marshaller = Marshallers.Create(_ => [], _ => new object());
        var grpcMethod = new Method<object, object>(MethodType.Unary, service, method, marshaller, marshaller);
        return new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection([new GrpcMethodMetadata(typeof(object), grpcMethod), .. metadata]),
            $"gRPC - /{service}/{method}");
    }

    private static async Task AssertRefusedAsync(HttpClient http, string path, HttpStatusCode httpStatus, Code code, string reason)
    {
        using var response = await http.GetAsync(path);
        await RpcAssert.JsonFailsWith(response, httpStatus, code, reason);
    }

    private async Task<string> CreateKeyAsync(string principal, AccessRole role) =>
        (await new AdminService.AdminServiceClient(server.Channel).CreateApiKeyAsync(new CreateApiKeyRequest
        {
            ApiKey = new ApiKey { Principal = principal, Roles = { role } },
        })).Secret;
}

public sealed class KeyLookupOutageTests
{
    [Fact(Timeout = TestTimeouts.Server)]
    public async Task AKeyTheStoreCannotLookUpIsNotReportedAsABadKey()
    {
        var database = await PostgresTestDatabase.CreateAsync();
        using var directory = new TempDirectory();
        await using var server = await TestServer.StartAsync(directory.File("unused.db"),
            "--Storage:Provider=postgres", $"--ConnectionStrings:Postgres={database.ConnectionString}");
        using var before = TestChannels.Create(server.Address, UnknownKey());
        await RpcAssert.FailsWith(StatusCode.Unauthenticated,
            () => new SpeakerService.SpeakerServiceClient(before).ListSpeakersAsync(new ListSpeakersRequest()).ResponseAsync);

        await database.DisposeAsync(); // drops the database under the running server

        // Another key: the registry remembers the first one's answer for a few seconds.
        using var after = TestChannels.Create(server.Address, UnknownKey());
        var e = await Assert.ThrowsAsync<RpcException>(
            () => new SpeakerService.SpeakerServiceClient(after).ListSpeakersAsync(new ListSpeakersRequest()).ResponseAsync);
        Assert.Contains(e.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.Contains(e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason, new[] { "STORE_UNAVAILABLE", "INTERNAL" });
    }

    /// <summary>Well formed, so the registry asks the store rather than refusing it on sight.</summary>
    private static string UnknownKey() =>
        "fck_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
