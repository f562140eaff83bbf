using Google.Rpc;
using Grpc.Core;

namespace FactCheck.IntegrationTests;

internal static class RpcAssert
{
    public static async Task<RpcException> FailsWith(StatusCode code, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, e.StatusCode);
        var info = e.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal("factcheck.v1", info.Domain);
        return e;
    }

    /// <summary>INVALID_ARGUMENT with a BadRequest violation on exactly <paramref name="field"/>.</summary>
    public static async Task InvalidField(string field, Func<Task> call)
    {
        var e = await FailsWith(StatusCode.InvalidArgument, call);
        var badRequest = e.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Contains(badRequest.FieldViolations, v => v.Field == field);
    }
}
