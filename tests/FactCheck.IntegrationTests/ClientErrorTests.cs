using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FactCheck.V1;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace FactCheck.IntegrationTests;

/// <summary>Issue 14's malformed bodies, replayed on every call kind and on the JSON routes, and the rate limits.</summary>
public sealed class ClientErrorTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const int Timeout = 60_000;

    public static TheoryData<string, string> MalformedBodies()
    {
        var data = new TheoryData<string, string>();
        // Each method with invalid UTF-8 (c3 28) in one of its string fields: GetClaimRequest.name (field 1),
        // WatchAuditEventsRequest.resource (field 2), ImportClaimsRequest.claims[0].name (field 1 in field 1).
        (string Method, string InvalidUtf8)[] methods =
        [
            ("/factcheck.v1.ClaimService/GetClaim", "0a02c328"),
            ("/factcheck.v1.AuditService/WatchAuditEvents", "1202c328"),
            ("/factcheck.v1.ClaimService/ImportClaims", "0a040a02c328"),
        ];
        foreach (var (method, invalidUtf8) in methods)
        {
            // A truncated key; wire type 7; field 1 with a 4 GB length prefix.
            foreach (var body in new[] { "08", "0f", "0affffffff0f", invalidUtf8 }) data.Add(method, body);
        }
        return data;
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(MalformedBodies))]
    public async Task AMalformedBodyIsInvalidArgumentWithReasonMalformedRequest(string method, string hexBody)
    {
        var e = await SendMalformedAsync(server.Channel.CreateCallInvoker(), method, hexBody);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("MALFORMED_REQUEST", e.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        // The server goes on serving.
        await server.Speakers.ListSpeakersAsync(new ListSpeakersRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
    }

    /// <summary>
    /// Each malformed body, on a server process with the shipped logging settings, logs exactly one line (the client
    /// error line, rate-limited to one a second, so the bodies are sent a second apart) and no stack trace.
    /// </summary>
    [Fact(Timeout = Timeout)]
    public async Task EachMalformedBodyLogsOneLineAndNoStackTrace()
    {
        using var directory = new TempDirectory();
        await using var process = await ServerProcess.StartAsync($"--Storage:Sqlite:Path={directory.File("factcheck.db")}",
            "--Logging:LogLevel:Default=Information", "--Semantics:Embedder=none");
        var invoker = process.Channel.CreateCallInvoker();
        foreach (var body in MalformedBodies())
        {
            var (method, hexBody) = ((string)body[0], (string)body[1]);
            await Task.Delay(TimeSpan.FromSeconds(1.1));
            var printed = process.LinesPrinted;
            Assert.Equal(StatusCode.InvalidArgument, (await SendMalformedAsync(invoker, method, hexBody)).StatusCode);
            // The console logger writes from a queue: wait for the line, then a little longer for any other.
            for (var waited = 0; waited < 50 && !process.LinesAfter(printed).Any(l => l.Contains(method, StringComparison.Ordinal)); waited++)
                await Task.Delay(100);
            await Task.Delay(300);
            var lines = process.LinesAfter(printed);
            var context = $"{method} {hexBody}:\n{string.Join('\n', lines)}";
            Assert.True(lines.Count(l => l.Contains(method, StringComparison.Ordinal)) == 1, context);
            Assert.DoesNotContain(lines, l => l.Contains("   at ", StringComparison.Ordinal));
        }
    }

    private static async Task<RpcException> SendMalformedAsync(CallInvoker invoker, string method, string hexBody)
    {
        var body = Convert.FromHexString(hexBody);
        var bytes = Marshallers.Create(b => b, b => b);
        var service = method.Split('/')[1];
        var name = method.Split('/')[2];
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30));
        return await Assert.ThrowsAsync<RpcException>(async () =>
        {
            switch (name)
            {
                case "GetClaim":
                    await invoker.AsyncUnaryCall(new Method<byte[], byte[]>(MethodType.Unary, service, name, bytes, bytes), null, options, body);
                    break;
                case "WatchAuditEvents":
                    using (var call = invoker.AsyncServerStreamingCall(new Method<byte[], byte[]>(MethodType.ServerStreaming, service, name, bytes, bytes), null, options, body))
                        while (await call.ResponseStream.MoveNext(CancellationToken.None)) { }
                    break;
                default:
                    using (var call = invoker.AsyncClientStreamingCall(new Method<byte[], byte[]>(MethodType.ClientStreaming, service, name, bytes, bytes), null, options))
                    {
                        await call.RequestStream.WriteAsync(body);
                        await call.RequestStream.CompleteAsync();
                        await call.ResponseAsync;
                    }
                    break;
            }
        });
    }

    [Theory(Timeout = Timeout)]
    [InlineData("{")]
    [InlineData("{\"displayName\": 42, \"aliases\": \"not a list\"}")]
    [InlineData("[1, 2]")]
    public async Task ABadJsonBodyIs400WithAStatus(string json)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.HttpAddress) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestChannels.AdminSecret);
        using var response = await http.PostAsync("/v1/speakers", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = Google.Rpc.Status.Parser.WithDiscardUnknownFields(true).ParseJson(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)Code.InvalidArgument, status.Code);
    }

    /// <summary>A JSON request no route takes is told so in a google.rpc.Status like any other error, not with an empty
    /// answer: no route for its path is 404 NOT_FOUND; a route, but not for its verb, is 405 UNIMPLEMENTED with Allow.</summary>
    [Theory(Timeout = Timeout)]
    [InlineData("GET", "/v1/claims/a/b", HttpStatusCode.NotFound, Code.NotFound, "NO_SUCH_ROUTE", "")]
    [InlineData("GET", "/v1/statements", HttpStatusCode.NotFound, Code.NotFound, "NO_SUCH_ROUTE", "")]
    [InlineData("POST", "/v1/speakers:merge", HttpStatusCode.NotFound, Code.NotFound, "NO_SUCH_ROUTE", "")]
    [InlineData("DELETE", "/v1/speakers/s1", HttpStatusCode.MethodNotAllowed, Code.Unimplemented, "METHOD_NOT_ALLOWED", "GET, PATCH")]
    [InlineData("PUT", "/v1/claims/c1", HttpStatusCode.MethodNotAllowed, Code.Unimplemented, "METHOD_NOT_ALLOWED", "GET, PATCH, DELETE")]
    public async Task AJsonRequestNoRouteTakesGetsAStatus(string verb, string path, HttpStatusCode httpStatus, Code code, string reason, string allowed)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.HttpAddress) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestChannels.AdminSecret);
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(verb), path));
        var status = await RpcAssert.JsonFailsWith(response, httpStatus, code, reason);
        Assert.Contains($"{verb} {path}", status.GetProperty("message").GetString(), StringComparison.Ordinal);
        // Routing's Allow names every verb of the routes that share the path's shape: PUT /v1/claims/c1 is also told
        // POST, which only claims/c1:addAppearance takes. So: the path's own verbs are in it, and the one sent is not.
        Assert.Superset(allowed.Split(", ", StringSplitOptions.RemoveEmptyEntries).ToHashSet(), response.Content.Headers.Allow.ToHashSet());
        Assert.DoesNotContain(verb, response.Content.Headers.Allow);
    }

    [Fact(Timeout = Timeout)]
    public async Task OverItsRateAPrincipalGetsResourceExhaustedWithRetryInfo()
    {
        using var directory = new TempDirectory();
        await using var limited = await TestServer.StartAsync(directory.File("factcheck.db"),
            "--RateLimits:Roles:admin:PerSecond=1", "--RateLimits:Roles:admin:Burst=3");
        RpcException? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            try
            {
                await limited.Speakers.ListSpeakersAsync(new ListSpeakersRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
            }
            catch (RpcException e)
            {
                refused = e;
            }
        }
        Assert.NotNull(refused);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.True(refused.GetRpcStatus()!.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan() > TimeSpan.Zero);

        // The JSON route draws on the same bucket, so it is refused at once; a token that arrived in between (one a
        // second) lets one call through, never two, where a bucket of its own would let three (the burst).
        using var http = new HttpClient { BaseAddress = new Uri(limited.HttpAddress) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestChannels.AdminSecret);
        var response = await http.GetAsync("/v1/speakers");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            response.Dispose();
            response = await http.GetAsync("/v1/speakers");
        }
        using (response)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
        }
    }

    /// <summary>The configured rate is the rate served: before, a rate under ten a second got one token every 100 ms
    /// (1/s served as 10/s), and others were rounded up to a multiple of ten.</summary>
    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData(1, 1, 1_000)]
    [InlineData(3, 1, 333)]
    [InlineData(25, 2, 80)]
    [InlineData(2_000, 200, 100)]
    [InlineData(200_000, 20_000, 100)]
    public Task ARoleGetsItsConfiguredRateInTokensAPeriod(int perSecond, int tokensPerPeriod, int periodMilliseconds) => Task.Run(() =>
    {
        var options = new FactCheck.Server.Access.RateLimitOptions();
        options.Roles["reader"] = new FactCheck.Server.Access.RoleRate { PerSecond = perSecond, Burst = 7 };
        var bucket = options.Bucket(FactCheck.Core.Access.Roles.Reader);
        Assert.Equal(tokensPerPeriod, bucket.TokensPerPeriod);
        Assert.Equal(periodMilliseconds, bucket.ReplenishmentPeriod.TotalMilliseconds, tolerance: 0.5);
        Assert.Equal(perSecond, bucket.TokensPerPeriod / bucket.ReplenishmentPeriod.TotalSeconds, tolerance: 0.001);
        Assert.Equal(7, bucket.TokenLimit);
    });
}
