using System.CommandLine;
using FactCheck.V1;
using Verdict = FactCheck.V1.VerifyAttributionResponse.Types.Verdict;

namespace FactCheck.Cli.Commands;

internal static class VerifyCommand
{
    public static Command Create()
    {
        var quote = new Argument<string>("quote") { Description = "The words as you saw them; punctuation, quote marks, case and elisions (\"...\") are tolerated" };
        var speaker = Cli.TextOption("--speaker", "Who they are attributed to: speakers/ID, or a name or role as written (\"Iran's foreign minister\")", "name", required: true);
        var saidOn = Cli.DateOption("--said-on", "When it was supposedly said; claims said near that day rank higher");
        var max = Cli.LimitOption("--max", "Matching claims to show at most", 10);
        var command = new Command("verify",
            "Check whether our records support attributing the words to the speaker. Exit status: 0 SUPPORTED; " +
            $"{ExitCodes.NotSupported} not supported (PARTIALLY_SUPPORTED, MISATTRIBUTED or NOT_FOUND); 1 failure; 2 usage")
        {
            quote, speaker, saidOn, max,
        };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var response = await context.Server.Claims.VerifyAttributionAsync(new VerifyAttributionRequest
            {
                Text = context.Parse.GetRequiredValue(quote),
                Speaker = context.Parse.GetRequiredValue(speaker),
                SaidOn = SeedValues.Date(context.Parse.GetValue(saidOn)),
                MaxMatches = context.Parse.GetValue(max),
            }, cancellationToken: cancellationToken);
            context.Output.Print(response, Print);
            return response.Verdict == Verdict.Supported ? ExitCodes.Ok : ExitCodes.NotSupported;
        });
        return command;
    }

    private static void Print(VerifyAttributionResponse response)
    {
        Output.Fields(
            ("verdict", ProtoEnums.Name(response.Verdict)),
            ("confidence", Output.Format(response.Confidence)),
            ("speaker", response.ResolvedSpeaker == "" ? "(no speaker matches)"
                : $"{response.ResolvedSpeaker} (resolution score {Output.Format(response.SpeakerResolutionScore)})"),
            ("on record from", string.Join(", ", response.AttributedSpeakers)));
        Console.WriteLine();
        Output.Table(["SIMILARITY", "MATCH", .. ClaimCommands.Headers], response.Matches.Select(m =>
            (IReadOnlyList<string>)[Output.Format(m.Similarity), ProtoEnums.Name(m.MatchKind), .. ClaimCommands.Row(m.Claim)]));
    }
}
