using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using CsCheck;
using FactCheck.V1;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Xunit.Abstractions;

namespace FactCheck.IntegrationTests.Fuzzing;

/// <summary>
/// Issue 14's fuzzer in the suite: <see cref="Requests"/> generated requests (<see cref="HostileRequests"/>) across every
/// RPC of protos/factcheck/v1 and every JSON route, against one server process. Every answer is OK or a client
/// error (on a JSON route, with the google.rpc.Status of that HTTP status in its body), the server keeps serving, what
/// was stored before is unchanged and the audit log still verifies, and the server prints no stack trace. A failure
/// prints its CsCheck seed and the request; FACTCHECK_FUZZ_SEED replays it.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Requests = 10_000;
    private const int Callers = 8;

    private static readonly HashSet<StatusCode> ClientErrors =
    [
        StatusCode.OK, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.AlreadyExists, StatusCode.FailedPrecondition,
        StatusCode.Unauthenticated, StatusCode.PermissionDenied, StatusCode.ResourceExhausted,
        // Etag mismatches (AIP-154).
        StatusCode.Aborted,
    ];

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    /// <summary>
    /// Outcomes on the client's side, not answers of the server's, met under heavy load: when a client keeps streaming
    /// to a call the server has already refused (no key) for longer than Kestrel keeps the reset stream around, Kestrel
    /// closes that HTTP/2 connection (STREAM_CLOSED), failing the other calls on it with a client-side INTERNAL; and a
    /// client-streaming write on that dead connection can hang past its deadline. Both are counted, must stay rare, and
    /// the server must serve afterwards.
    /// </summary>
    private const string TransportReset = "connection closed under the client", ClientHung = "client hung past its deadline";
    private static readonly TimeSpan ClientHangLimit = TimeSpan.FromSeconds(75);

    /// <summary>Well inside the test's timeout, so that a run that does not end still reports what it saw.</summary>
    private static readonly TimeSpan SamplingLimit = TimeSpan.FromSeconds(200);

    [Fact(Timeout = 300_000)]
    public async Task HostileRequestsToEveryRpcAndRouteGetOnlyClientErrorsAndLoseNothing()
    {
        using var directory = new TempDirectory();
        // The shipped log level, so that the client-error lines the log check counts are printed at all.
        await using var server = await ServerProcess.StartAsync($"--Storage:Sqlite:Path={directory.File("fuzz.db")}", "--Logging:LogLevel:Default=Information");
        var audit = new AuditService.AuditServiceClient(server.Channel);

        // Kept apart: the fuzzer never learns these names, so nothing it sends may change them.
        var sentinels = await CreateClaimsAsync(server, 3);
        var snapshot = await ReadAsync(server, sentinels);
        var verifiedBefore = await audit.VerifyAuditLogAsync(new VerifyAuditLogRequest(), deadline: Deadline(60));
        Assert.True(verifiedBefore.Ok, verifiedBefore.Problem);

        // Names the fuzzer may use (and change), and page tokens of every list RPC, to be sent to the others.
        var targets = await CreateClaimsAsync(server, 3);
        var events = await audit.ListAuditEventsAsync(new ListAuditEventsRequest { PageSize = 2 }, deadline: Deadline(30));
        string[] names = [.. targets.Select(t => t.Name), .. targets.Select(t => t.Speaker).Distinct(), .. events.Events.Select(e => e.Name), "apiKeys/test-admin",
            $"{targets[0].Name}/relations/{targets[1].Name.Split('/')[1]}"];
        string[] tokens =
        [
            (await server.Claims.ListClaimsAsync(new ListClaimsRequest { PageSize = 1 }, deadline: Deadline(30))).NextPageToken,
            (await server.Speakers.ListSpeakersAsync(new ListSpeakersRequest { PageSize = 1 }, deadline: Deadline(30))).NextPageToken,
            events.NextPageToken,
        ];

        var statuses = new ConcurrentDictionary<string, int>();
        var reached = new ConcurrentDictionary<string, bool>();
        var linesBefore = server.LinesPrinted;
        var stackTracesBefore = server.StackTraceLines;
        var residentBefore = server.ResidentBytes;
        using var anonymous = TestChannels.Create(server.Address, secret: null);
        using var http = new HttpClient { BaseAddress = new Uri(server.HttpAddress), Timeout = TimeSpan.FromSeconds(60) };
        var started = System.Diagnostics.Stopwatch.StartNew();

        var seed = Environment.GetEnvironmentVariable("FACTCHECK_FUZZ_SEED") is { Length: > 0 } replay ? replay : null;
        // What went wrong, kept as it happens: after a failure CsCheck goes on sampling to shrink it, which can outlast
        // the test's timeout, and then its own report is never printed.
        var unexpected = new ConcurrentQueue<string>();
        var inFlight = new ConcurrentDictionary<FuzzRequest, System.Diagnostics.Stopwatch>();
        var sampling = new HostileRequests(names, tokens).Request().SampleAsync(async request =>
        {
            var sent = System.Diagnostics.Stopwatch.StartNew();
            inFlight[request] = sent;
            try
            {
                var sending = request.Json is { } json
                    ? SendJsonAsync(http, json, request.Anonymous)
                    : SendGrpcAsync(request.Anonymous ? anonymous.CreateCallInvoker() : server.Channel.CreateCallInvoker(), request);
                var answer = await Task.WhenAny(sending, Task.Delay(ClientHangLimit)) == sending ? await sending : ClientHung;
                statuses.AddOrUpdate(answer, 1, (_, n) => n + 1);
                reached[request.Json is { } route ? $"{route.Verb} {route.Template}" : request.Method.FullName] = true;
            }
            catch (Exception e)
            {
                unexpected.Enqueue($"after {sent.Elapsed.TotalSeconds:F1} s, {e.GetType().Name}: {e.Message}\n  for {request}");
                throw;
            }
            finally
            {
                inFlight.TryRemove(request, out _);
            }
        }, seed: seed, iter: Requests, threads: Callers, print: request => request.ToString());
        var finished = await Task.WhenAny(sampling, Task.Delay(SamplingLimit));
        Assert.True(finished == sampling && unexpected.IsEmpty,
            $"{(finished == sampling ? "" : $"fuzzing did not finish in {SamplingLimit}; in flight: "
                + string.Join("\n", inFlight.OrderByDescending(f => f.Value.Elapsed).Take(5).Select(f => $"{f.Value.Elapsed.TotalSeconds:F0} s: {f.Key}")) + "\n")}"
            + $"{unexpected.Count} unexpected answers, the first:\n"
            + string.Join("\n", unexpected.Take(5)) + "\n" + server.OutputTail);
        await sampling;

        var elapsed = started.Elapsed;
        output.WriteLine($"fuzz: {statuses.Values.Sum()} requests in {elapsed.TotalSeconds:F0} s; answers: "
            + string.Join(", ", statuses.OrderByDescending(s => s.Value).Select(s => $"{s.Key} {s.Value}")));
        output.WriteLine($"fuzz: server printed {server.LinesPrinted - linesBefore} lines, {server.StackTraceLines - stackTracesBefore} stack-trace lines; "
            + $"RSS {residentBefore >> 20} MB -> {server.ResidentBytes >> 20} MB");

        Assert.False(server.HasExited, server.OutputTail);
        Assert.DoesNotContain(HostileRequests.Methods.Select(m => m.FullName).Concat(HostileRequests.Routes.Select(r => $"{r.Verb} {r.Template}")), r => !reached.ContainsKey(r));
        Assert.Equal(snapshot, await ReadAsync(server, sentinels));
        var verifiedAfter = await audit.VerifyAuditLogAsync(new VerifyAuditLogRequest(), deadline: Deadline(60));
        Assert.True(verifiedAfter.Ok, verifiedAfter.Problem);
        Assert.True(verifiedAfter.EventsChecked >= verifiedBefore.EventsChecked);
        Assert.True(server.StackTraceLines == stackTracesBefore,
            $"the server printed {server.StackTraceLines - stackTracesBefore} stack trace lines; its output ends:\n{server.OutputTail}");
        Assert.True(statuses.GetValueOrDefault(TransportReset) + statuses.GetValueOrDefault(ClientHung) < Requests / 100,
            $"{statuses.GetValueOrDefault(TransportReset)} calls lost to closed connections, {statuses.GetValueOrDefault(ClientHung)} hung");
        // Client errors share one rate-limited line a second (a few more lines for the writes that succeed): the log
        // grows by far less than a line a request.
        Assert.True(server.LinesPrinted - linesBefore < Requests / 100,
            $"the server printed {server.LinesPrinted - linesBefore} lines; its output ends:\n{server.OutputTail}");
        Assert.True(server.ResidentBytes - residentBefore < 512L << 20, $"RSS grew from {residentBefore >> 20} MB to {server.ResidentBytes >> 20} MB");
    }

    private static async Task<List<Claim>> CreateClaimsAsync(ServerProcess server, int count)
    {
        var speaker = await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() }, deadline: Deadline(30));
        var claims = new List<Claim>();
        for (var i = 0; i < count; i++)
            claims.Add(await server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker.Name) }, deadline: Deadline(30)));
        return claims;
    }

    private static async Task<List<Google.Protobuf.IMessage>> ReadAsync(ServerProcess server, List<Claim> claims)
    {
        var read = new List<Google.Protobuf.IMessage>();
        foreach (var claim in claims) read.Add(await server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name }, deadline: Deadline(30)));
        read.Add(await server.Speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = claims[0].Speaker }, deadline: Deadline(30)));
        return read;
    }

    private static DateTime Deadline(int seconds) => DateTime.UtcNow.AddSeconds(seconds);

    /// <summary>The status name of the answer; throws (failing the sample) on anything but OK or a client error.</summary>
    private static async Task<string> SendGrpcAsync(CallInvoker invoker, FuzzRequest request)
    {
        var method = request.Method;
        var type = method.IsClientStreaming
            ? method.IsServerStreaming ? MethodType.DuplexStreaming : MethodType.ClientStreaming
            : method.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary;
        var call = new Method<byte[], byte[]>(type, method.Service.FullName, method.Name, Bytes, Bytes);
        // A watch stays open while nothing happens: it is given a moment, and its deadline passing is its OK.
        var options = new CallOptions(deadline: method.IsServerStreaming ? DateTime.UtcNow.AddMilliseconds(300) : Deadline(60));
        StatusCode status;
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(call, null, options, request.Bodies[0]);
                    break;
                case MethodType.ServerStreaming:
                    using (var stream = invoker.AsyncServerStreamingCall(call, null, options, request.Bodies[0]))
                        while (await stream.ResponseStream.MoveNext(CancellationToken.None)) { }
                    break;
                case MethodType.ClientStreaming:
                    using (var stream = invoker.AsyncClientStreamingCall(call, null, options))
                    {
                        await WriteAllAsync(stream.RequestStream, request.Bodies);
                        await stream.ResponseAsync;
                    }
                    break;
                default:
                    throw new NotSupportedException($"{method.FullName}: no bidirectional RPC is fuzzed yet");
            }
            status = StatusCode.OK;
        }
        catch (RpcException e) when (ClientErrors.Contains(e.StatusCode) || (e.StatusCode == StatusCode.DeadlineExceeded && method.IsServerStreaming))
        {
            status = e.StatusCode;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Internal && e.Status.DebugException is HttpRequestException)
        {
            // Not an answer of the server's: the client's connection was closed under it (see TransportOutcomes).
            return TransportReset;
        }
        return status.ToString();
    }

    private static async Task WriteAllAsync(IClientStreamWriter<byte[]> writer, IReadOnlyList<byte[]> bodies)
    {
        try
        {
            foreach (var body in bodies) await writer.WriteAsync(body);
            await writer.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server answered before taking every message; the status is read from the response.
        }
    }

    /// <summary>The HTTP status JSON transcoding gives each gRPC code a client error may carry, and routing's 405 for a
    /// verb no route of the path takes (UnroutedRequests).</summary>
    private static int? HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.Unimplemented => 405,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition => 400,
        StatusCode.Unauthenticated => 401,
        StatusCode.PermissionDenied => 403,
        StatusCode.NotFound => 404,
        StatusCode.AlreadyExists or StatusCode.Aborted => 409,
        StatusCode.ResourceExhausted => 429,
        _ => null,
    };

    /// <summary>Kestrel's refusals, made before any of our code runs, which carry no status: a body or URL too long,
    /// headers too large. Routing's (no route for the path or the verb) carry one.</summary>
    private static readonly HashSet<int> ProtocolRefusals = [413, 414, 431];

    /// <summary>Kestrel refuses a request target that decodes to a NUL (400, no body) before routing.</summary>
    private static bool KestrelRefusesTarget(string path, int httpStatus) =>
        httpStatus == 400 && path.Contains("%00", StringComparison.Ordinal);

    /// <summary>
    /// What a JSON client learns from an error: the code of the google.rpc.Status in its body, which must be a client
    /// error whose HTTP status is the one sent, with a message saying why. Only Kestrel's own refusals may come
    /// without one. Throws (failing the sample) on anything else.
    /// </summary>
    private static async Task<string> ErrorAnswerAsync(JsonCall call, HttpResponseMessage response, int httpStatus, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType != "application/json")
            return ProtocolRefusals.Contains(httpStatus) || KestrelRefusesTarget(call.Path, httpStatus)
                ? "without a status"
                : throw new InvalidOperationException($"HTTP {httpStatus} without a google.rpc.Status: {body}");
        using var json = System.Text.Json.JsonDocument.Parse(body);
        var code = (StatusCode)json.RootElement.GetProperty("code").GetInt32();
        var reason = json.RootElement.TryGetProperty("message", out var text) ? text.GetString() : null;
        if (HttpStatusOf(code) != httpStatus || string.IsNullOrWhiteSpace(reason))
            throw new InvalidOperationException($"HTTP {httpStatus} carried {code} ('{reason}'), not a client error of that HTTP status with a reason: {body}");
        return code.ToString();
    }

    private static async Task<string> SendJsonAsync(HttpClient http, JsonCall json, bool anonymous)
    {
        using var message = new HttpRequestMessage(new HttpMethod(json.Verb), json.Path);
        if (!anonymous) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestChannels.AdminSecret);
        if (json.Body is not null) message.Content = new StringContent(json.Body, Encoding.UTF8, "application/json");
        var watch = json.Path.Contains(":watch", StringComparison.Ordinal);
        using var timeout = new CancellationTokenSource(watch ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(60));
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            if (code < 300) return $"HTTP {code}";
            return $"HTTP {code} {await ErrorAnswerAsync(json, response, code, timeout.Token)}";
        }
        catch (OperationCanceledException) when (watch)
        {
            return "HTTP watch open";
        }
    }
}
