// Container health probe for the FactCheck server: exit code 0 when healthy, 1 when not (Docker's HEALTHCHECK
// convention; 2 is reserved). The aspnet runtime image has no curl, wget or grpc_health_probe, and the health
// service speaks gRPC, i.e. HTTP/2 with binary framing, which a shell cannot talk; so this is a few lines of C#
// on the base class library alone, run with the image's own "dotnet".
//
//   healthprobe                          grpc.health.v1.Health/Check for service "" (the whole server) on the
//                                        endpoint Kestrel__Endpoints__Grpc__Url names, default
//                                        http://127.0.0.1:5000; a wildcard host (0.0.0.0, [::], +, *) means
//                                        127.0.0.1
//   healthprobe <base-url> [service]     the same against another endpoint, or for one named service
//   healthprobe <url-with-a-path>        plain HTTP GET, healthy on any 2xx (e.g. http://127.0.0.1:5080/healthz)
//
// The gRPC health service is open (no API key; see AuthInterceptor). The server reports SERVING while a check is
// Degraded too (e.g. Redis away: answers come from the store), and NOT_SERVING only when one is Unhealthy.
using System.Buffers.Binary;
using System.Collections;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

const string GrpcUrlKey = "Kestrel__Endpoints__Grpc__Url";
var timeout = TimeSpan.FromSeconds(5);

try
{
    var target = LocalUrl(args.Length > 0 ? args[0] : Setting(GrpcUrlKey) ?? "http://127.0.0.1:5000");
    using var handler = new SocketsHttpHandler { ConnectTimeout = timeout };
    // TLS on the probed endpoint: the probe runs inside the container and sends no secret, so a loopback
    // endpoint's certificate is not checked (it is usually issued for the public name, not 127.0.0.1).
    if (target.Scheme == Uri.UriSchemeHttps && target.IsLoopback)
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
    using var client = new HttpClient(handler) { Timeout = timeout };

    var result = target.AbsolutePath is "" or "/"
        ? await CheckGrpcAsync(client, target, args.Length > 1 ? args[1] : "")
        : await CheckHttpAsync(client, target);
    Console.WriteLine(result.Message);
    return result.Healthy ? 0 : 1;
}
catch (Exception e)
{
    Console.WriteLine($"unhealthy: {e.GetType().Name}: {e.Message}");
    return 1;
}

// grpc.health.v1.Health/Check over HTTP/2 (prior knowledge on http://, ALPN on https://), framed by hand:
// a gRPC message is 1 byte "compressed" (0) + 4 bytes big-endian length + the protobuf bytes.
static async Task<(bool Healthy, string Message)> CheckGrpcAsync(HttpClient client, Uri baseUri, string service)
{
    var message = EncodeHealthCheckRequest(service);
    var body = new byte[5 + message.Length];
    BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), (uint)message.Length);
    message.CopyTo(body, 5);

    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, "/grpc.health.v1.Health/Check"))
    {
        Version = HttpVersion.Version20,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Content = new ByteArrayContent(body),
    };
    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
    request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));

    using var response = await client.SendAsync(request);
    var payload = await response.Content.ReadAsByteArrayAsync();
    if (response.StatusCode != HttpStatusCode.OK)
        return (false, $"unhealthy: HTTP {(int)response.StatusCode} from {request.RequestUri}");
    // grpc-status is a trailer, or a header in a "trailers-only" (error) response.
    var grpcStatus = Value(response.TrailingHeaders, "grpc-status") ?? Value(response.Headers, "grpc-status");
    if (grpcStatus != "0")
    {
        var code = grpcStatus switch { null => "missing", "5" => "5 NOT_FOUND (no such service)", "12" => "12 UNIMPLEMENTED (no health service)", "14" => "14 UNAVAILABLE", _ => grpcStatus };
        var detail = Value(response.TrailingHeaders, "grpc-message") ?? Value(response.Headers, "grpc-message");
        return (false, $"unhealthy: grpc-status {code}{(string.IsNullOrEmpty(detail) ? "" : ": " + Uri.UnescapeDataString(detail))} ({request.RequestUri})");
    }
    if (payload.Length < 5 || payload[0] != 0)
        return (false, "unhealthy: no uncompressed gRPC message in the response");
    var length = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(1));
    if (length > payload.Length - 5)
        return (false, "unhealthy: truncated gRPC message");

    var status = DecodeServingStatus(payload.AsSpan(5, (int)length));
    var name = status switch { 0 => "UNKNOWN", 1 => "SERVING", 2 => "NOT_SERVING", 3 => "SERVICE_UNKNOWN", _ => status.ToString() };
    var subject = service.Length == 0 ? "server" : $"service '{service}'";
    return (status == 1, $"{(status == 1 ? "healthy" : "unhealthy")}: {subject} is {name} ({request.RequestUri})");
}

static async Task<(bool Healthy, string Message)> CheckHttpAsync(HttpClient client, Uri url)
{
    using var response = await client.GetAsync(url);
    var healthy = response.IsSuccessStatusCode;
    return (healthy, $"{(healthy ? "healthy" : "unhealthy")}: HTTP {(int)response.StatusCode} from {url}");
}

// HealthCheckRequest { string service = 1; }: nothing at all for "" (proto3 omits defaults).
static byte[] EncodeHealthCheckRequest(string service)
{
    if (service.Length == 0) return [];
    var text = Encoding.UTF8.GetBytes(service);
    var bytes = new List<byte> { 0x0A }; // field 1, wire type 2 (length-delimited)
    for (var n = (uint)text.Length; ; n >>= 7)
    {
        if (n < 0x80) { bytes.Add((byte)n); break; }
        bytes.Add((byte)(n | 0x80));
    }
    bytes.AddRange(text);
    return [.. bytes];
}

// HealthCheckResponse { ServingStatus status = 1; }: the varint of field 1, 0 (UNKNOWN) when absent.
static ulong DecodeServingStatus(ReadOnlySpan<byte> message)
{
    ulong status = 0;
    var position = 0;
    while (position < message.Length)
    {
        var tag = ReadVarint(message, ref position);
        switch (tag & 7)
        {
            case 0:
                var value = ReadVarint(message, ref position);
                if (tag >> 3 == 1) status = value;
                break;
            case 1: position += 8; break;
            case 2: position += checked((int)ReadVarint(message, ref position)); break;
            case 5: position += 4; break;
            default: throw new InvalidDataException($"unexpected protobuf wire type {tag & 7}");
        }
    }
    return status;
}

static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
{
    ulong value = 0;
    for (var shift = 0; shift < 64; shift += 7)
    {
        if (position >= bytes.Length) throw new InvalidDataException("truncated protobuf varint");
        var b = bytes[position++];
        value |= (ulong)(b & 0x7F) << shift;
        if (b < 0x80) return value;
    }
    throw new InvalidDataException("protobuf varint too long");
}

static string? Value(HttpHeaders headers, string name) =>
    headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

// The URL the server is configured with, as ASP.NET Core reads it from the environment: configuration keys are
// case-insensitive, and ASPNETCORE_-prefixed variables count too (unprefixed ones win).
static string? Setting(string key)
{
    string? prefixed = null;
    foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
    {
        var name = (string)variable.Key;
        if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase)) return (string?)variable.Value;
        if (string.Equals(name, "ASPNETCORE_" + key, StringComparison.OrdinalIgnoreCase)) prefixed = (string?)variable.Value;
    }
    return prefixed;
}

// A Kestrel listen URL made dialable: wildcard hosts become 127.0.0.1 (the probe runs in the server's container).
static Uri LocalUrl(string url)
{
    var match = Regex.Match(url.Trim(), @"^(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?<host>\[[^\]]*\]|[^/:]*)(?<port>:\d+)?(?<path>/.*)?$");
    if (!match.Success) throw new ArgumentException($"not a URL: '{url}'");
    var host = match.Groups["host"].Value;
    if (host is "" or "0.0.0.0" or "[::]" or "+" or "*") host = "127.0.0.1";
    return new Uri($"{match.Groups["scheme"].Value}://{host}{match.Groups["port"].Value}{match.Groups["path"].Value}");
}
