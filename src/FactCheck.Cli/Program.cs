using System.CommandLine;
using FactCheck.Cli;
using FactCheck.Cli.Commands;

var root = new RootCommand("FactCheck client: import seed files, look up speakers and claims")
{
    Cli.Server,
    Cli.ApiKey,
    Cli.Json,
    ImportCommand.Create(),
    SpeakerCommands.Create(),
    ClaimCommands.Create(),
};

var parseResult = root.Parse(args);
var exitCode = await parseResult.InvokeAsync();
// System.CommandLine ends parse errors with 1, which we use for failed operations.
return parseResult.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
