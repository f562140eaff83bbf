using FactCheck.Cli;
using FactCheck.Cli.Commands;

var root = new RootCommand(
    "FactCheck client: import and export claims, look up speakers and claims, verify attributions, review claims, read the " +
    $"audit log, manage API keys. Exit codes: {ExitCodes.Ok} ok, {ExitCodes.Failure} failure, {ExitCodes.Usage} usage, " +
    $"{ExitCodes.NotFound} not found, {ExitCodes.NotSupported} verify: not supported")
{
    Cli.Server,
    Cli.ApiKey,
    Cli.Json,
    PinnedKey.Option,
    ImportCommand.Create(),
    ExportCommand.Create(),
    SpeakerCommands.Create(),
    ClaimCommands.Create(),
    VerifyCommand.Create(),
    VerifyCommand.WhoSaid(),
    RelationCommands.Create(),
    AuditCommands.Create(),
    KeyCommands.Create(),
};

var parseResult = root.Parse(args);
var exitCode = await parseResult.InvokeAsync();
// System.CommandLine ends parse errors with 1, which we use for failed operations.
return parseResult.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
