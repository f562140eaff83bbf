using System.CommandLine.Parsing;
using System.Globalization;
using Google.Protobuf;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace FactCheck.Cli;

internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Some items failed, or an RPC failed.</summary>
    public const int Failure = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
    /// <summary><c>verify</c>: the words are not supported as attributed (partly supported, misattributed or not found).</summary>
    public const int NotSupported = 4;
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
        // Read when the command runs rather than as a default value, which help would print.
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
                using var server = new Connection(parse.GetRequiredValue(Server), parse.GetValue(ApiKey) ?? Environment.GetEnvironmentVariable("FACTCHECK_API_KEY"));
                return await action(new CommandContext(parse, server, output), cancellationToken);
            }
            catch (RpcException ex)
            {
                Output.Error(ex);
                if (ex.StatusCode == StatusCode.Unavailable) Output.Note($"  (is the server running at {parse.GetValue(Server)}?)");
                if (ex.StatusCode == StatusCode.Unauthenticated) Output.Note("  (the API key is given with --api-key or $FACTCHECK_API_KEY)");
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

    /// <summary>An option taking one of <typeparamref name="T"/>'s values as a word ("out-of-context"); the help
    /// lists them.</summary>
    public static Option<T> WordOption<T>(string name, string description) where T : struct, Enum =>
        WithWords<T, T>(new Option<T>(name) { Description = description, CustomParser = result => ParseWords<T>(result).FirstOrDefault() });

    /// <summary>Like <see cref="WordOption{T}"/>, repeatable: <c>--role reader --role editor</c>.</summary>
    public static Option<T[]> WordsOption<T>(string name, string description) where T : struct, Enum =>
        WithWords<T, T[]>(new Option<T[]>(name) { Description = description, CustomParser = ParseWords<T> });

    private static Option<TValue> WithWords<T, TValue>(Option<TValue> option) where T : struct, Enum
    {
        option.Description += $" ({string.Join(", ", ProtoEnums.Words<T>())})";
        option.HelpName = "word";
        option.CompletionSources.Add(ProtoEnums.Words<T>().ToArray());
        return option;
    }

    private static T[] ParseWords<T>(ArgumentResult result) where T : struct, Enum =>
        result.Tokens.Select(token =>
        {
            if (ProtoEnums.TryParseWord<T>(token.Value, out var value)) return value;
            result.AddError($"\"{token.Value}\" is not one of {string.Join(", ", ProtoEnums.Words<T>())}");
            return default;
        }).ToArray();

    /// <summary>A day as YYYY-MM-DD.</summary>
    public static Option<DateOnly?> DateOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "YYYY-MM-DD",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
            result.AddError($"{name} must be a date as YYYY-MM-DD, not \"{text}\"");
            return null;
        },
    };

    /// <summary>A moment as ISO 8601 (2024-12-03T10:00:00Z; without an offset, UTC), sent as a Timestamp.</summary>
    public static Option<DateTimeOffset?> TimeOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "time",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return time;
            result.AddError($"{name} must be a time as ISO 8601, e.g. 2024-12-03T10:00:00Z, not \"{text}\"");
            return null;
        },
    };

    /// <summary>
    /// `get NAME [--as-of TIME]` of a collection: one read, as the resource stands now or as it stood then (rebuilt
    /// from the audit log), printed in detail.
    /// </summary>
    public static Command GetCommand<T>(string collection, string description, string asOfDescription,
        Func<CommandContext, string, Timestamp?, CancellationToken, Task<T>> read, Action<T> printDetail) where T : IMessage
    {
        var name = NameArgument(collection);
        var asOf = TimeOption("--as-of", asOfDescription);
        var command = new Command("get", description) { name, asOf };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var readTime = context.Parse.GetValue(asOf) is { } time ? Timestamp.FromDateTimeOffset(time) : null;
            context.Output.Print(await read(context, context.Parse.ResourceName(name, collection), readTime, cancellationToken), printDetail);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Option<string> TextOption(string name, string description, string helpName = "text", bool required = false) =>
        new(name) { Description = description, HelpName = helpName, Required = required };

    /// <summary>--reason on the commands that change something.</summary>
    public static Option<string> ReasonOption() => TextOption("--reason", "Why the change is made; recorded in the audit log");

    /// <summary>The resource a command acts on, given as "claims/ID" or just "ID"; read it with <see cref="ResourceName"/>.</summary>
    public static Argument<string> NameArgument(string collection, string description = "") =>
        new("name") { Description = $"{collection}/ID (or just ID){description}" };

    public static string ResourceName(this ParseResult parse, Argument<string> name, string collection) =>
        ResourceName(collection, parse.GetRequiredValue(name));

    /// <summary>Accepts "speakers/abc" or just "abc" for a resource in <paramref name="collection"/>.</summary>
    public static string ResourceName(string collection, string nameOrId) =>
        nameOrId.StartsWith(collection + "/", StringComparison.Ordinal) ? nameOrId : $"{collection}/{nameOrId}";
}
