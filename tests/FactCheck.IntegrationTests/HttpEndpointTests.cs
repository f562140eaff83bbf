using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace FactCheck.IntegrationTests;

/// <summary>The HTTP endpoint as a newcomer meets it: the README's curl examples, the start-up log, and CORS.</summary>
public sealed partial class HttpEndpointTests
{
    private const string ReadmeHttpAddress = "http://127.0.0.1:5080";

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task TheReadmeCurlExamplesRunAsWrittenAgainstAFreshServer()
    {
        var examples = ShellBlocks(await File.ReadAllTextAsync(Path.Combine(CliProcess.RepositoryRoot(), "README.md")))
            .Where(block => block.Contains("curl ", StringComparison.Ordinal) && block.Contains(ReadmeHttpAddress, StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(examples);
        using var directory = new TempDirectory();
        await using var server = await ServerProcess.StartAsync($"--Storage:Sqlite:Path={directory.File("readme.db")}");
        await CliProcess.ImportSeedAsync(server.Address);

        foreach (var example in examples)
        {
            // As written, but against this server's port, and with curl failing on any HTTP error status.
            var script = "set -e\ncurl() { command curl --silent --show-error --fail-with-body \"$@\"; }\n"
                + example.Replace(ReadmeHttpAddress, server.HttpAddress, StringComparison.Ordinal);
            var (exitCode, output) = await BashAsync(script, ("FACTCHECK_API_KEY", TestChannels.AdminSecret));
            Assert.True(exitCode == 0, $"exit {exitCode} from\n{example}\n{output}");
            Assert.Contains("Abbas Araqchi", output);
            Assert.Contains("\"verdict\":", output);
        }
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task TheServerStartsWithoutAWarningAboutItsProtocols()
    {
        using var directory = new TempDirectory();
        await using var server = await ServerProcess.StartAsync($"--Storage:Sqlite:Path={directory.File("protocols.db")}");
        using var http = new HttpClient();
        var response = await http.GetAsync(server.HttpAddress + "/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.DoesNotContain("warn:", server.OutputTail);
        Assert.DoesNotContain("HTTP/2 is not enabled", server.OutputTail);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task CrossOriginRequestsGetNoCorsHeadersUnlessTheOriginIsConfigured()
    {
        const string origin = "https://tools.newsroom.example";
        using var directory = new TempDirectory();
        await using (var closed = await TestServer.StartAsync(directory.File("closed.db")))
        {
            var preflight = await PreflightAsync(closed.HttpAddress, origin);
            Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        }

        await using var open = await TestServer.StartAsync(directory.File("open.db"), $"--Cors:AllowedOrigins:0={origin}");
        var allowed = await PreflightAsync(open.HttpAddress, origin);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(origin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.False((await PreflightAsync(open.HttpAddress, "https://elsewhere.example")).Headers.Contains("Access-Control-Allow-Origin"));

        // A refusal still carries the header, so the calling page can read why (CORS runs before authentication).
        using var http = new HttpClient();
        using var refused = new HttpRequestMessage(HttpMethod.Get, open.HttpAddress + "/v1/speakers");
        refused.Headers.Add("Origin", origin);
        refused.Headers.Add("authorization", "Bearer fck_unknown");
        var answer = await http.SendAsync(refused);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal(origin, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    private static async Task<HttpResponseMessage> PreflightAsync(string address, string origin)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, address + "/v1/speakers");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        return await http.SendAsync(request);
    }

    /// <summary>The bodies of the ```sh blocks of a Markdown text, indented or not.</summary>
    private static IEnumerable<string> ShellBlocks(string markdown) =>
        ShellBlock().Matches(markdown).Select(match => string.Join('\n',
            match.Groups["body"].Value.Split('\n').Select(line => line.StartsWith(match.Groups["indent"].Value, StringComparison.Ordinal) ? line[match.Groups["indent"].Length..] : line)));

    [GeneratedRegex(@"^(?<indent>[ \t]*)```sh\n(?<body>.*?)\n[ \t]*```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    private static async Task<(int ExitCode, string Output)> BashAsync(string script, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output + await error);
    }
}
