using FactCheck.V1;
using Google.Protobuf;
using Grpc.Core;

namespace FactCheck.IntegrationTests.Fuzzing;

/// <summary>Requests the fuzzer (<see cref="FuzzTests"/>) found answered with a server error, kept as regular tests.</summary>
public sealed class FuzzFindingsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const int Timeout = 60_000;

    [Theory(Timeout = Timeout)]
    // Seed cNDO4nJgLWl8: action set, end_time at the last second of year 9999 (nanos 999,999,999), include_proofs.
    [InlineData("1A2B44414141414A564843774147414141414141414141423947487431437463554C56515477474F46767157672A0D08FF82D1FFAF0710FF93EBDC034001")]
    public async Task ListAuditEventsWithAnEdgeTimestampIsAnsweredWithoutAServerError(string hexBody)
    {
        var request = ListAuditEventsRequest.Parser.ParseFrom(Convert.FromHexString(hexBody));
        var audit = new AuditService.AuditServiceClient(server.Channel);
        try
        {
            await audit.ListAuditEventsAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));
        }
        catch (RpcException e)
        {
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        }
    }
}
