using System.Diagnostics;

namespace FactCheck.IntegrationTests;

/// <summary>The factcheck CLI (factcheck.dll next to the tests) run as its own process against a test server.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static string SeedFile => Path.Combine(RepositoryRoot(), "fixtures", "seed", "dawn-2024-12-03.json");

    public static Task<Result> RunAsync(string server, params string[] args) => RunWithKeyAsync(server, TestChannels.AdminSecret, args);

    /// <param name="apiKey">The key to run with; null for none at all.</param>
    public static async Task<Result> RunWithKeyAsync(string server, string? apiKey, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "factcheck.dll"));
        start.ArgumentList.Add("--server");
        start.ArgumentList.Add(server);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The key travels in the environment, as the CLI recommends.
        if (apiKey is null) start.Environment.Remove("FACTCHECK_API_KEY");
        else start.Environment["FACTCHECK_API_KEY"] = apiKey;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Fails the test, with what the CLI printed, unless it exited with <paramref name="expected"/>.</summary>
    public static void AssertExit(int expected, Result result) =>
        Assert.True(result.ExitCode == expected, $"exit code {result.ExitCode}, expected {expected}\nstdout: {result.Output}\nstderr: {result.Error}");

    /// <summary>Imports the seed article's claims; fails the test if the import does.</summary>
    public static async Task ImportSeedAsync(string server)
    {
        var result = await RunAsync(server, "import", SeedFile);
        Assert.True(result.ExitCode == 0, $"import failed ({result.ExitCode}): {result.Error}");
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FactCheck.sln"))) return dir.FullName;
        throw new InvalidOperationException("FactCheck.sln not found above the test binaries");
    }
}
