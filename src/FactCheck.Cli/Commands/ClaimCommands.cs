using System.CommandLine;
using FactCheck.V1;

namespace FactCheck.Cli.Commands;

internal static class ClaimCommands
{
    private static readonly string[] Headers = ["SAID ON", "KIND", "ATTRIBUTED TO", "TEXT", "CLAIM"];

    public static Command Create() => new("claims", "Look up claims") { List(), Get(), Search() };

    private static Option<string> SpeakerOption() => new("--speaker")
    {
        Description = "Only claims of this speaker: speakers/ID, or a name to resolve (the best match is used)",
        HelpName = "name",
    };

    private static Command List()
    {
        var speaker = SpeakerOption();
        var publication = new Option<string>("--publication") { Description = "Only claims that appeared in this publication", HelpName = "name" };
        var limit = Cli.LimitOption("--limit", "Claims to list at most", 50);
        var command = new Command("list", "List claims, newest first") { speaker, publication, limit };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var request = new ListClaimsRequest
            {
                Speaker = await SpeakerFilterAsync(context, speaker, cancellationToken),
                Publication = context.Parse.GetValue(publication) ?? "",
            };
            var (claims, more) = await Paging.CollectAsync<Claim>(context.Parse.GetValue(limit), async (pageSize, pageToken) =>
            {
                request.PageSize = pageSize;
                request.PageToken = pageToken;
                var page = await context.Server.Claims.ListClaimsAsync(request, cancellationToken: cancellationToken);
                return (page.Claims, page.NextPageToken);
            });
            context.Output.Print(new ListClaimsResponse { Claims = { claims } },
                r => Output.Table(Headers, r.Claims.Select(Row)));
            if (more) Output.Note("(more claims exist; raise --limit to see them)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Search()
    {
        var query = new Argument<string>("query") { Description = "Words that must all occur in the claim's text" };
        var speaker = SpeakerOption();
        var limit = Cli.LimitOption("--limit", "Results to show at most", 20);
        var command = new Command("search", "Full-text search over claim text, best match first") { query, speaker, limit };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var request = new SearchClaimsRequest
            {
                Query = context.Parse.GetRequiredValue(query),
                Speaker = await SpeakerFilterAsync(context, speaker, cancellationToken),
            };
            var (results, more) = await Paging.CollectAsync<SearchClaimsResult>(context.Parse.GetValue(limit), async (pageSize, pageToken) =>
            {
                request.PageSize = pageSize;
                request.PageToken = pageToken;
                var page = await context.Server.Claims.SearchClaimsAsync(request, cancellationToken: cancellationToken);
                return (page.Results, page.NextPageToken);
            });
            context.Output.Print(new SearchClaimsResponse { Results = { results } }, r => Output.Table(
                ["RELEVANCE", .. Headers],
                r.Results.Select(result => (IReadOnlyList<string>)[Output.Format(result.Relevance), .. Row(result.Claim)])));
            if (more) Output.Note("(more results exist; raise --limit to see them)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Get()
    {
        var name = new Argument<string>("name") { Description = "claims/ID (or just ID)" };
        var command = new Command("get", "Show a claim with all its appearances") { name };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var claim = await context.Server.Claims.GetClaimAsync(
                new GetClaimRequest { Name = Cli.ResourceName("claims", context.Parse.GetRequiredValue(name)) },
                cancellationToken: cancellationToken);
            context.Output.Print(claim, PrintDetail);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<string> SpeakerFilterAsync(CommandContext context, Option<string> speaker, CancellationToken cancellationToken) =>
        context.Parse.GetValue(speaker) is { } value
            ? await SpeakerCommands.ResolveOneAsync(context.Server, value, cancellationToken)
            : "";

    private static string[] Row(Claim claim) =>
    [
        Output.Format(claim.SaidOn),
        ProtoEnums.Name(claim.AttributionKind),
        Output.Truncate(claim.AttributedTo != "" ? claim.AttributedTo : claim.Speaker, 40),
        Output.Truncate(claim.Text),
        claim.Name,
    ];

    private static void PrintDetail(Claim claim)
    {
        Output.Fields(
            ("name", claim.Name),
            ("speaker", claim.Speaker),
            ("attributed to", claim.AttributedTo),
            ("text", claim.Text),
            ("kind", ProtoEnums.Name(claim.AttributionKind)),
            ("said on", Output.Format(claim.SaidOn)),
            ("context", claim.Context),
            ("language", claim.LanguageCode),
            ("confidence", claim.HasAttributionConfidence ? Output.Format(claim.AttributionConfidence) : null),
            ("status", ProtoEnums.Name(claim.VerificationStatus)),
            ("created", Output.Format(claim.CreateTime)),
            ("updated", Output.Format(claim.UpdateTime)),
            ("etag", claim.Etag));
        Console.WriteLine("appearances:");
        foreach (var appearance in claim.Appearances)
        {
            var published = appearance.PublishTime is null ? "" : $", {Output.Format(appearance.PublishTime)}";
            Console.WriteLine($"  - {appearance.Publication}{published}{(appearance.FirstAppearance ? " (first)" : "")}");
            foreach (var line in new[]
                     {
                         appearance.Title,
                         appearance.Url,
                         appearance.CreditedOutlets.Count > 0 ? "credited: " + string.Join(", ", appearance.CreditedOutlets) : "",
                         appearance.QuotedSentence != "" ? $"sentence: {appearance.QuotedSentence}" : "",
                     }.Where(line => line != ""))
                Console.WriteLine($"    {line}");
        }
    }
}
