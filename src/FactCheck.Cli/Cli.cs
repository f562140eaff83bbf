using System.CommandLine;
using Grpc.Core;

namespace FactCheck.Cli;

internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Some items failed, or an RPC failed.</summary>
    public const int Failure = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
}

/// <summary>An expected failure with a message for the user (no stack trace) and the exit code to end with.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>What a command's action gets: the parsed command line, the server, and where to print.</summary>
internal sealed record CommandContext(ParseResult Parse, Connection Server, Output Output);

internal static class Cli
{
    public static readonly Option<Uri> Server = new("--server")
    {
        Description = "Server address; $FACTCHECK_SERVER sets the default",
        HelpName = "url",
        Recursive = true,
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("FACTCHECK_SERVER") is { Length: > 0 } env ? env : "http://127.0.0.1:5000"),
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return uri;
            result.AddError($"--server must be an http:// or https:// URL, not \"{text}\"");
            return null;
        },
    };

    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "API key; $FACTCHECK_API_KEY sets the default (prefer it: command lines are visible to other users)",
        HelpName = "key",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FACTCHECK_API_KEY"),
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print results as JSON (protobuf JSON for resources) instead of tables",
        Recursive = true,
    };

    /// <summary>Runs <paramref name="action"/> against the server, turning RPC and user-facing errors into
    /// a message on stderr and an exit code.</summary>
    public static void SetRpcAction(this Command command, Func<CommandContext, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = new Output(parse.GetValue(Json));
            try
            {
                using var server = new Connection(parse.GetRequiredValue(Server), parse.GetValue(ApiKey));
                return await action(new CommandContext(parse, server, output), cancellationToken);
            }
            catch (RpcException ex)
            {
                Output.Error(ex);
                if (ex.StatusCode == StatusCode.Unavailable) Output.Note($"  (is the server running at {parse.GetValue(Server)}?)");
                return ex.StatusCode == StatusCode.NotFound ? ExitCodes.NotFound : ExitCodes.Failure;
            }
            catch (CliException ex)
            {
                Output.Error(ex.Message);
                return ex.ExitCode;
            }
        });

    public static Option<int> LimitOption(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = "n" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError($"{name} must be at least 1");
        });
        return option;
    }

    /// <summary>Accepts "speakers/abc" or just "abc" for a resource in <paramref name="collection"/>.</summary>
    public static string ResourceName(string collection, string nameOrId) =>
        nameOrId.StartsWith(collection + "/", StringComparison.Ordinal) ? nameOrId : $"{collection}/{nameOrId}";
}
