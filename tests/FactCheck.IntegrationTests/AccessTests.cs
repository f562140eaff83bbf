using FactCheck.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;

namespace FactCheck.IntegrationTests;

public sealed class AccessTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly ServiceDescriptor[] Services =
        [SpeakerService.Descriptor, ClaimService.Descriptor, AuditService.Descriptor, AdminService.Descriptor];

    /// <summary>What each method needs, written out here independently of the server's own table.</summary>
    private static AccessRole RequiredRole(MethodDescriptor method) => (method.Service.Name, method.Name) switch
    {
        // Checkpoints and proofs are hashes only, and what outsiders need to check the log.
        ("AuditService", "GetCheckpoint" or "GetInclusionProof" or "GetConsistencyProof") => AccessRole.Reader,
        ("AuditService", _) => AccessRole.Auditor,
        ("AdminService", _) => AccessRole.Admin,
        (_, "ReviewClaim") => AccessRole.Reviewer,
        (_, "GetSpeaker" or "ListSpeakers" or "ResolveSpeaker" or "GetClaim" or "BatchGetClaims" or "ListClaims"
            or "SearchClaims" or "VerifyAttribution" or "ListReviews" or "ListClaimRevisions") => AccessRole.Reader,
        (_, "CreateSpeaker" or "UpdateSpeaker" or "CreateClaim" or "ImportClaims" or "UpdateClaim" or "DeleteClaim" or "AddAppearance") => AccessRole.Editor,
        _ => throw new InvalidOperationException($"{method.FullName} is new: add it to this table"),
    };

    public static TheoryData<string> Methods()
    {
        var data = new TheoryData<string>();
        foreach (var service in Services)
            foreach (var method in service.Methods) data.Add(method.FullName);
        return data;
    }

    [Theory(Timeout = TestTimeouts.Server)]
    [MemberData(nameof(Methods))]
    public async Task EveryRpcWithoutAKeyIsUnauthenticated(string method)
    {
        using var anonymous = TestChannels.Create(server.Address, secret: null);
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(anonymous, Find(method)));
        using var unknown = TestChannels.Create(server.Address, "fck_not-a-key");
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(unknown, Find(method)));
    }

    [Theory(Timeout = TestTimeouts.Server)]
    [InlineData(AccessRole.Reader)]
    [InlineData(AccessRole.Editor)]
    [InlineData(AccessRole.Reviewer)]
    [InlineData(AccessRole.Auditor)]
    public async Task EachRoleIsDeniedExactlyTheRpcsItDoesNotCover(AccessRole role)
    {
        var secret = await CreateKeyAsync($"{role} user", role);
        using var channel = TestChannels.Create(server.Address, secret);
        foreach (var service in Services)
            foreach (var method in service.Methods)
            {
                var required = RequiredRole(method);
                var allowed = required == role || required == AccessRole.Reader;
                var status = await CallAsync(channel, method);
                // Let in, an empty request must still get a clear answer: a refusal of its fields, never a server fault.
                if (allowed) Assert.True(status is not (StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.Internal or StatusCode.Unknown),
                    $"{role} got {status} from {method.FullName}");
                else Assert.True(status == StatusCode.PermissionDenied, $"{role} got {status} from {method.FullName}, expected PermissionDenied");
            }
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task ARevokedKeyStopsWorkingAndTheAuditLogNamesTheKeysPrincipal()
    {
        var admin = new AdminService.AdminServiceClient(server.Channel);
        var created = await admin.CreateApiKeyAsync(new CreateApiKeyRequest
        {
            ApiKey = new ApiKey { Principal = "newsroom-bot", Roles = { AccessRole.Editor } },
            Reason = "bot for the night desk",
        });
        Assert.StartsWith("fck_", created.Secret);
        Assert.DoesNotContain(created.Secret, created.ApiKey.ToString());
        using var channel = TestChannels.Create(server.Address, created.Secret);
        var speaker = await new SpeakerService.SpeakerServiceClient(channel).CreateSpeakerAsync(new CreateSpeakerRequest
        {
            Speaker = TestData.Speaker(),
            Reason = "first mention",
        });

        var events = await new AuditService.AuditServiceClient(server.Channel).ListAuditEventsAsync(new ListAuditEventsRequest { Resource = speaker.Name });
        var created_ = Assert.Single(events.Events);
        Assert.Equal("newsroom-bot", created_.Principal);
        Assert.Equal("speaker.create", created_.Action);
        Assert.Equal("first mention", created_.Reason);

        var revoked = await admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { Name = created.ApiKey.Name, Reason = "rotated" });
        Assert.NotNull(revoked.RevokeTime);
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(channel, Find("factcheck.v1.SpeakerService.ListSpeakers")));
    }

    private async Task<string> CreateKeyAsync(string principal, AccessRole role) =>
        (await new AdminService.AdminServiceClient(server.Channel).CreateApiKeyAsync(new CreateApiKeyRequest
        {
            ApiKey = new ApiKey { Principal = principal, Roles = { role } },
        })).Secret;

    private static MethodDescriptor Find(string fullName) =>
        Services.SelectMany(s => s.Methods).Single(m => m.FullName == fullName);

    /// <summary>Calls any method with an empty request and returns the status it ends with.</summary>
    private static async Task<StatusCode> CallAsync(GrpcChannel channel, MethodDescriptor method)
    {
        var marshaller = Marshallers.Create<IMessage>(
            m => m.ToByteArray(),
            bytes => method.OutputType.Parser.ParseFrom(bytes));
        var requestMarshaller = Marshallers.Create<IMessage>(m => m.ToByteArray(), bytes => method.InputType.Parser.ParseFrom(bytes));
        var type = method.IsServerStreaming ? MethodType.ServerStreaming : method.IsClientStreaming ? MethodType.ClientStreaming : MethodType.Unary;
        var grpcMethod = new Method<IMessage, IMessage>(type, method.Service.FullName, method.Name, requestMarshaller, marshaller);
        var request = (IMessage)Activator.CreateInstance(method.InputType.ClrType)!;
        var invoker = channel.CreateCallInvoker();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            if (method.IsServerStreaming)
            {
                // A watch that was let in simply waits for events: being let in is all this checks.
                using var call = invoker.AsyncServerStreamingCall(grpcMethod, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(1)), request);
                await call.ResponseStream.MoveNext(timeout.Token);
                return StatusCode.OK;
            }
            if (method.IsClientStreaming)
            {
                using var call = invoker.AsyncClientStreamingCall(grpcMethod, null, new CallOptions(cancellationToken: timeout.Token));
                await call.RequestStream.WriteAsync(request);
                await call.RequestStream.CompleteAsync();
                await call.ResponseAsync;
                return StatusCode.OK;
            }
            await invoker.AsyncUnaryCall(grpcMethod, null, new CallOptions(cancellationToken: timeout.Token), request);
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}
