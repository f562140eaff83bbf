using System.Net;
using System.Text.Json;
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

    /// <summary>A JSON route's error: the HTTP status, and a google.rpc.Status body with the code and one ErrorInfo of our
    /// domain with the reason. Returns the status, for what else a test checks in it.</summary>
    public static async Task<JsonElement> JsonFailsWith(HttpResponseMessage response, HttpStatusCode httpStatus, Code code, string reason)
    {
        Assert.Equal(httpStatus, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)code, status.GetProperty("code").GetInt32());
        var detail = Assert.Single(status.GetProperty("details").EnumerateArray());
        Assert.Equal("type.googleapis.com/google.rpc.ErrorInfo", detail.GetProperty("@type").GetString());
        Assert.Equal(reason, detail.GetProperty("reason").GetString());
        Assert.Equal("factcheck.v1", detail.GetProperty("domain").GetString());
        return status;
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
