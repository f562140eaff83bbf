using Verdict = FactCheck.V1.VerifyAttributionResponse.Types.Verdict;

namespace FactCheck.Cli.Commands;

/// <summary><c>verify</c> (did this speaker say these words?) and <c>who-said</c> (who is on record saying them?).</summary>
internal static class VerifyCommand
{
    private static Argument<string> Quote() =>
        new("quote") { Description = "The words as you saw them; punctuation, quote marks, case and elisions (\"...\") are tolerated" };

    public static Command Create()
    {
        var quote = Quote();
        var speaker = Cli.TextOption("--speaker",
            "Who they are attributed to: speakers/ID, a name or role as written (\"Iran's foreign minister\"), or a source as reported (\"Iraqi security sources\")",
            "name", required: true);
        var saidOn = Cli.DateOption("--said-on", "When it was supposedly said; claims said near that day rank higher, years away is WRONG_TIME_OR_ROLE");
        var max = Cli.LimitOption("--max", "Matching claims to show at most", 10);
        var command = new Command("verify",
            "Check whether our records support attributing the words to the speaker: SUPPORTED (their words), SUPPORTED_IN_SUBSTANCE " +
            "(in other words), PARTIALLY_SUPPORTED, MISATTRIBUTED or CONTRADICTED (with a reason code), or NOT_FOUND. Exit status: 0 SUPPORTED; " +
            $"{ExitCodes.NotSupported} any other verdict; 1 failure; 2 usage")
        {
            quote, speaker, saidOn, max,
        };
        command.SetRpcAction((context, cancellationToken) =>
            VerifyAsync(context, quote, context.Parse.GetRequiredValue(speaker), saidOn, max, cancellationToken));
        return command;
    }

    public static Command WhoSaid()
    {
        var quote = Quote();
        var saidOn = Cli.DateOption("--said-on", "When it was supposedly said; sources from around that day rank higher");
        var max = Cli.LimitOption("--max", "Matching claims to show at most", 10);
        var command = new Command("who-said",
            "Who is on record saying these words (or their meaning, or the opposite): every source, best match first, with how each " +
            $"attributes them and where they first appeared. Exit status: 0 some source found; {ExitCodes.NotFound} none; 1 failure; 2 usage")
        {
            quote, saidOn, max,
        };
        command.SetRpcAction((context, cancellationToken) => VerifyAsync(context, quote, "", saidOn, max, cancellationToken));
        return command;
    }

    private static async Task<int> VerifyAsync(CommandContext context, Argument<string> quote, string speaker, Option<DateOnly?> saidOn, Option<int> max,
        CancellationToken cancellationToken)
    {
        var response = await context.Server.Claims.VerifyAttributionAsync(new VerifyAttributionRequest
        {
            Text = context.Parse.GetRequiredValue(quote),
            Speaker = speaker,
            SaidOn = SeedValues.Date(context.Parse.GetValue(saidOn)),
            MaxMatches = context.Parse.GetValue(max),
        }, cancellationToken: cancellationToken);
        context.Output.Print(response, Print);
        if (speaker == "") return response.Verdict == Verdict.NotFound ? ExitCodes.NotFound : ExitCodes.Ok;
        return response.Verdict == Verdict.Supported ? ExitCodes.Ok : ExitCodes.NotSupported;
    }

    private static void Print(VerifyAttributionResponse response)
    {
        Output.Fields(
            ("verdict", ProtoEnums.Name(response.Verdict)),
            ("reason", response.Reason == ReasonCode.Unspecified ? null : ProtoEnums.Name(response.Reason)),
            ("why", response.Explanation),
            ("confidence", Output.Format(response.Confidence)),
            ("claimed", response.ClaimedParty is null ? null
                : response.ResolvedSpeaker != "" ? $"{response.ResolvedSpeaker} (resolution score {Output.Format(response.SpeakerResolutionScore)})"
                : $"\"{response.ClaimedParty.AttributedTo}\" (no speaker of ours: matched against how claims were attributed)"),
            ("evidence", response.EvidenceClaim),
            ("names", string.Join(", ", response.NamedParties.Select(Party))));
        if (response.Originators.Count > 0)
        {
            Console.WriteLine();
            Output.Table(["SOURCE", "ATTRIBUTION", "MATCH", "SIMILARITY", "FIRST APPEARED", "FIRST CLAIM"], response.Originators.Select(o =>
                (IReadOnlyList<string>)[Output.Truncate(Party(o.Party), 40), ProtoEnums.Name(o.AttributionKind), ProtoEnums.Name(o.MatchKind),
                    Output.Format(o.Similarity), o.FirstAppearance is null ? "" : $"{o.FirstAppearance.Publication} {Output.Format(o.FirstAppearance.PublishTime)}".Trim(),
                    o.FirstClaim]));
        }
        Console.WriteLine();
        Output.Table(["SIMILARITY", "MATCH", "SIGNAL", .. ClaimCommands.Headers], response.Matches.Select(m =>
            (IReadOnlyList<string>)[Output.Format(m.Similarity), ProtoEnums.Name(m.MatchKind), m.Signal, .. ClaimCommands.Row(m.Claim)]));
    }

    private static string Party(Party party) => party.Speaker != "" ? party.Speaker : $"\"{party.AttributedTo}\"";
}
