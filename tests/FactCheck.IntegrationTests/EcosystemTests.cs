using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FactCheck.Server.Hosting;
using FactCheck.V1;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace FactCheck.IntegrationTests;

/// <summary>Health, reflection, HTTP/JSON transcoding and OpenAPI: what standard tools use.</summary>
public sealed class EcosystemTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private HttpClient Http(string? key = TestChannels.AdminSecret)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.HttpAddress) };
        if (key is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task HealthIsServingWithoutAKeyOverGrpcAndHttp()
    {
        using var anonymous = TestChannels.Create(server.Address, secret: null);
        var health = await new Health.HealthClient(anonymous).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        using var http = Http(key: null);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task ReflectionListsTheFactCheckServices()
    {
        using var anonymous = TestChannels.Create(server.Address, secret: null);
        using var call = new ServerReflection.ServerReflectionClient(anonymous).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("factcheck.v1.SpeakerService", services);
        Assert.Contains("factcheck.v1.ClaimService", services);
        Assert.Contains("factcheck.v1.AuditService", services);
        Assert.Contains("factcheck.v1.AdminService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task JsonTranscodingRoundTripsAClaimWithCurlStyleRequests()
    {
        using var http = Http();
        var speakerJson = await PostAsync(http, "/v1/speakers", """{"displayName":"Kremlin spokesperson Dmitry Peskov","kind":"PERSON"}""");
        var speaker = speakerJson.GetProperty("name").GetString()!;
        var claimJson = await PostAsync(http, "/v1/claims", $$"""
            {"speaker":"{{speaker}}","text":"Russia continues to support the Syrian president","attributionKind":"PARAPHRASE",
             "saidOn":{"year":2024,"month":12,"day":2},"languageCode":"en","attributionConfidence":0.8,
             "appearances":[{"url":"https://www.dawn.com/news/1","publication":"Dawn","creditedOutlets":["AFP"]}]}
            """);
        var claim = claimJson.GetProperty("name").GetString()!;

        var fetched = JsonDocument.Parse(await http.GetStringAsync($"/v1/{claim}")).RootElement;
        Assert.Equal("Russia continues to support the Syrian president", fetched.GetProperty("text").GetString());
        var listed = JsonDocument.Parse(await http.GetStringAsync($"/v1/{speaker}/claims")).RootElement;
        Assert.Equal(claim, listed.GetProperty("claims")[0].GetProperty("name").GetString());
        var verdict = await PostAsync(http, "/v1/claims:verify", $$"""{"text":"Russia continues to support the Syrian president","speaker":"{{speaker}}"}""");
        // The words of the speaker's record, which is a paraphrase: what they said in substance.
        Assert.Equal("SUPPORTED_IN_SUBSTANCE", verdict.GetProperty("verdict").GetString());

        // The gRPC answer and the JSON answer are the same resource.
        var viaGrpc = await server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim });
        Assert.Equal(viaGrpc.Etag, fetched.GetProperty("etag").GetString());
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task JsonErrorsUseHttpStatusCodesAndCarryTheSameDetails()
    {
        using var http = Http();
        var notFound = await http.GetAsync("/v1/claims/doesnotexist0000");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);

        var invalid = await http.PostAsync("/v1/claims", new StringContent("""{"text":""}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var body = await invalid.Content.ReadAsStringAsync();
        Assert.Contains("google.rpc.BadRequest", body);
        Assert.Contains("claim.attribution_confidence", body);

        using var anonymous = Http(key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/speakers")).StatusCode);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task AnOpenApiDocumentDescribesTheJsonSurface()
    {
        using var http = Http(key: null);
        var document = JsonDocument.Parse(await http.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/claims:verify", paths);
        Assert.Contains("/v1/speakers/{speaker}/claims", paths);
        Assert.Contains("/v1/claims/{name}", paths);
        Assert.Contains("/v1/speakers/{name}", paths);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task TheBenchmarkEmptyHandlerIsServedOnlyInBenchmarkMode()
    {
        using var anonymous = TestChannels.Create(server.Address, secret: null);
        var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() =>
            new FactCheck.Bench.V1.BenchmarkService.BenchmarkServiceClient(anonymous).EmptyAsync(new Google.Protobuf.WellKnownTypes.Empty()).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.Unimplemented, e.StatusCode);

        using var directory = new TempDirectory();
        await using var bench = await TestServer.StartAsync(directory.File("bench.db"), "--Benchmark:Enabled=true");
        using var open = TestChannels.Create(bench.Address, secret: null);
        Assert.NotNull(await new FactCheck.Bench.V1.BenchmarkService.BenchmarkServiceClient(open).EmptyAsync(new Google.Protobuf.WellKnownTypes.Empty()));
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string json)
    {
        var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}

public sealed class StoreOutageHealthTests
{
    [Fact(Timeout = 60_000)]
    public async Task HealthIsNotServingWhileTheDatabaseIsUnreachable()
    {
        var database = await PostgresTestDatabase.CreateAsync();
        using var directory = new TempDirectory();
        await using var server = await TestServer.StartAsync(directory.File("unused.db"),
            "--Storage:Provider=postgres", $"--ConnectionStrings:Postgres={database.ConnectionString}");
        var health = new Grpc.Health.V1.Health.HealthClient(server.Channel);
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new())).Status);

        await database.DisposeAsync(); // drops the database under the running server
        await Task.Delay(RecentHealth<StoreHealthCheck>.Freshness); // the store's last answer is reused that long

        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new())).Status);
        using var http = new HttpClient { BaseAddress = new Uri(server.HttpAddress) };
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/healthz")).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task AWriteThatWaitsOutAnotherWriterOfTheSqliteFileIsUnavailable()
    {
        using var directory = new TempDirectory();
        var path = directory.File("busy.db");
        await using var server = await TestServer.StartAsync(path);
        await using var otherProcess = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        await otherProcess.OpenAsync();
        await using var holding = otherProcess.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the file's write lock

        // SQLite gives up after busy_timeout (5 s); the store reports it as busy, which clients may retry.
        var e = await RpcAssert.FailsWith(StatusCode.Unavailable, () =>
            server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() }).ResponseAsync);

        Assert.Equal("STORE_UNAVAILABLE", e.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
    }
}
