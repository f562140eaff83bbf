using Google.Protobuf.WellKnownTypes;

namespace FactCheck.Cli.Commands;

internal static class ClaimCommands
{
    public static readonly string[] Headers = ["SAID ON", "KIND", "ATTRIBUTED TO", "TEXT", "CLAIM"];

    public static Command Create() => new("claims", "Look up, add and review claims")
    {
        List(), Get(), Search(), Add(), ReviewCommands.Review(), ReviewCommands.List(), RevisionCommands.History(),
    };

    private static Option<string> SpeakerOption() => SpeakerCommands.SpeakerOption("Only claims of this speaker");

    /// <summary>Fetches pages of <paramref name="request"/> for <see cref="Paging"/>.</summary>
    public static Func<int, string, Task<(IEnumerable<Claim> Items, string NextPageToken)>> ListPages(
        Connection server, ListClaimsRequest request, CancellationToken cancellationToken) => async (pageSize, pageToken) =>
    {
        request.PageSize = pageSize;
        request.PageToken = pageToken;
        var page = await server.Claims.ListClaimsAsync(request, cancellationToken: cancellationToken);
        return (page.Claims, page.NextPageToken);
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
                Speaker = await SpeakerCommands.ResolveOptionAsync(context, speaker, cancellationToken),
                Publication = context.Parse.GetValue(publication) ?? "",
            };
            return await Paging.PrintAsync(context, context.Parse.GetValue(limit), "claims", ListPages(context.Server, request, cancellationToken),
                claims => new ListClaimsResponse { Claims = { claims } }, Headers, Row);
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
                Speaker = await SpeakerCommands.ResolveOptionAsync(context, speaker, cancellationToken),
            };
            return await Paging.PrintAsync<SearchClaimsResult>(context, context.Parse.GetValue(limit), "results", async (pageSize, pageToken) =>
                {
                    request.PageSize = pageSize;
                    request.PageToken = pageToken;
                    var page = await context.Server.Claims.SearchClaimsAsync(request, cancellationToken: cancellationToken);
                    return (page.Results, page.NextPageToken);
                },
                results => new SearchClaimsResponse { Results = { results } },
                ["RELEVANCE", .. Headers], result => [Output.Format(result.Relevance), .. Row(result.Claim)]);
        });
        return command;
    }

    private static Command Get() => Cli.GetCommand("claims", "Show a claim with all its appearances and its relations with other claims",
        "Show the claim as it stood at this time, rebuilt from the audit log",
        (context, name, readTime, cancellationToken) => context.Server.Claims.GetClaimAsync(
            new GetClaimRequest { Name = name, View = ClaimView.Full, ReadTime = readTime }, cancellationToken: cancellationToken).ResponseAsync,
        PrintDetail);

    private static Command Add()
    {
        var speaker = SpeakerCommands.SpeakerOption("Who said it (required unless --kind is unnamed-source)");
        var text = Cli.TextOption("--text", "What was said: the quoted words for a direct quote, else the reported content", required: true);
        var kind = Cli.WordOption<AttributionKind>("--kind", "How the reporting attributes it");
        kind.Required = true;
        var url = Cli.TextOption("--url", "Where it was reported: the article's http(s) URL", "url", required: true);
        var publication = Cli.TextOption("--publication", "The publication of that article, e.g. \"Dawn\"", "name", required: true);
        var title = Cli.TextOption("--title", "The article's title");
        var saidOn = Cli.DateOption("--said-on", "The day it was said");
        var confidence = new Option<double>("--confidence")
        {
            Description = "How sure we are that the speaker said it, from 0 to 1",
            HelpName = "x",
            DefaultValueFactory = _ => 0.8,
        };
        var language = Cli.TextOption("--language", "BCP-47 language tag of the text", "tag");
        language.DefaultValueFactory = _ => "en";
        var attributedTo = Cli.TextOption("--attributed-to", "The attribution as the reporting phrased it, e.g. \"two Iraqi security sources\"");
        var claimContext = Cli.TextOption("--context", "Circumstances: what the speaker was answering, where, to whom");
        var reason = Cli.ReasonOption();
        var command = new Command("add", "Record a claim (each run creates a new one)")
        {
            speaker, text, kind, url, publication, title, saidOn, confidence, language, attributedTo, claimContext, reason,
        };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var parse = context.Parse;
            var claim = await context.Server.Claims.CreateClaimAsync(new CreateClaimRequest
            {
                Claim = new Claim
                {
                    Speaker = await SpeakerCommands.ResolveOptionAsync(context, speaker, cancellationToken),
                    AttributedTo = parse.GetValue(attributedTo) ?? "",
                    Text = parse.GetRequiredValue(text),
                    AttributionKind = parse.GetValue(kind),
                    SaidOn = SeedValues.Date(parse.GetValue(saidOn)),
                    Appearances =
                    {
                        new Appearance
                        {
                            Url = parse.GetRequiredValue(url), Publication = parse.GetRequiredValue(publication), Title = parse.GetValue(title) ?? "",
                        },
                    },
                    Context = parse.GetValue(claimContext) ?? "",
                    LanguageCode = parse.GetValue(language) ?? "",
                    AttributionConfidence = parse.GetValue(confidence),
                },
                RequestId = Guid.NewGuid().ToString(),
                Reason = parse.GetValue(reason) ?? "",
            }, cancellationToken: cancellationToken);
            context.Output.Print(claim, PrintDetail);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string[] Row(Claim claim) =>
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
        if (claim.Relations.Count == 0) return;
        Console.WriteLine("relations:");
        foreach (var relation in claim.Relations)
            Console.WriteLine($"  - {relation.Claim} {ProtoEnums.Name(relation.Kind)} {relation.RelatedClaim} (score {Output.Format(relation.Score)}, " +
                              $"{ProtoEnums.Name(relation.State)}{(relation.Reviewer == "" ? "" : " by " + relation.Reviewer)}): {relation.Name}");
    }
}
