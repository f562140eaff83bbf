// Container health probe for the FactCheck server: GET /healthz over HTTP/1.1, exit code 0 on a 2xx answer and 1
// otherwise (Docker's HEALTHCHECK convention; 2 is reserved). The aspnet runtime image has no curl or wget, so this
// is a few lines of C# run with the image's own "dotnet".
//
//   healthprobe          GET /healthz on the endpoint Kestrel__Endpoints__Http__Url names (a wildcard host such as
//                        0.0.0.0, [::], + or * means 127.0.0.1), default http://127.0.0.1:5080
//   healthprobe <url>    GET that URL instead
//
// /healthz needs no API key. It answers 200 while the server can serve, Redis away included (the cache check is
// Degraded; answers come from the store), and 503 when the store does not answer.
using System.Text.RegularExpressions;

try
{
    var url = args.Length > 0
        ? new Uri(args[0])
        : new Uri(new Uri(Dialable(Environment.GetEnvironmentVariable("Kestrel__Endpoints__Http__Url") ?? "http://127.0.0.1:5080")), "/healthz");
    using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    using var response = await client.GetAsync(url);
    var healthy = response.IsSuccessStatusCode;
    Console.WriteLine($"{(healthy ? "healthy" : "unhealthy")}: HTTP {(int)response.StatusCode} from {url}");
    return healthy ? 0 : 1;
}
catch (Exception e)
{
    Console.WriteLine($"unhealthy: {e.GetType().Name}: {e.Message}");
    return 1;
}

// A Kestrel listen URL made dialable from inside the server's container.
static string Dialable(string listenUrl) =>
    Regex.Replace(listenUrl.Trim(), @"^(?<scheme>[A-Za-z]+://)(0\.0\.0\.0|\[::\]|\+|\*)(?=[:/]|$)", "${scheme}127.0.0.1");
