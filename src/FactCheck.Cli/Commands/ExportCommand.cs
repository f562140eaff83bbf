using System.Text.Json.Nodes;

namespace FactCheck.Cli.Commands;

internal static class ExportCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format")
        {
            Description = "What to write: claimreview, a JSON-LD array of schema.org ClaimReviews (Google's fact-check markup)",
            HelpName = "format",
            DefaultValueFactory = _ => "claimreview",
        }.AcceptOnlyFromAmong("claimreview");
        var speaker = SpeakerCommands.SpeakerOption("Only claims of this speaker");
        var limit = Cli.LimitOption("--limit", "ClaimReviews to write at most", 1000);
        var output = new Option<FileInfo>("--output") { Description = "File to write (default: stdout)", HelpName = "file" };
        var site = new Option<Uri>("--site")
        {
            Description = "Base URL of your fact-check pages: each ClaimReview's url is it joined with the review's name " +
                          "(claims/ID/reviews/ID). Default: the claim's first appearance URL with #factcheck-REVIEW_ID",
            HelpName = "url",
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return uri;
                result.AddError($"--site must be an http:// or https:// URL, not \"{text}\"");
                return null;
            },
        };
        var publisher = Cli.TextOption("--publisher", "The fact-checking organization named as each ClaimReview's author", "name");
        publisher.DefaultValueFactory = _ => "FactCheck";
        var command = new Command("export",
            "Write one ClaimReview for each reviewed claim, from its current review. Ratings (1-5, alternateName): " +
            string.Join(", ", ClaimReviewFormat.Ratings.Select(r => $"{ProtoEnums.Word(r.Key)} {r.Value}")))
        {
            format, speaker, limit, output, site, publisher,
        };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var request = new ListClaimsRequest { Speaker = await SpeakerCommands.ResolveOptionAsync(context, speaker, cancellationToken) };
            var max = context.Parse.GetValue(limit);
            var feed = new JsonArray();
            var speakers = new Dictionary<string, Speaker>();
            await foreach (var claim in Paging.AllAsync(ClaimCommands.ListPages(context.Server, request, cancellationToken)))
            {
                if (feed.Count == max)
                {
                    Output.Note($"(stopped at {max} ClaimReviews; more claims remain: raise --limit to export them)");
                    break;
                }
                var latest = await context.Server.Claims.ListReviewsAsync(
                    new ListReviewsRequest { Claim = claim.Name, PageSize = 1 }, cancellationToken: cancellationToken);
                if (latest.Reviews.FirstOrDefault() is not { } review) continue;
                Speaker? author = null;
                if (claim.Speaker != "" && !speakers.TryGetValue(claim.Speaker, out author))
                    speakers[claim.Speaker] = author = await context.Server.Speakers.GetSpeakerAsync(
                        new GetSpeakerRequest { Name = claim.Speaker }, cancellationToken: cancellationToken);
                feed.Add(ClaimReviewFormat.Write(claim, review, author, context.Parse.GetValue(site), context.Parse.GetRequiredValue(publisher)));
            }
            var json = feed.ToJsonString(Output.PlainJson);
            if (context.Parse.GetValue(output) is not { } file)
            {
                Console.WriteLine(json);
                return ExitCodes.Ok;
            }
            try
            {
                await File.WriteAllTextAsync(file.FullName, json + Environment.NewLine, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot write {file.FullName}: {ex.Message}");
            }
            Output.Note($"wrote {feed.Count} ClaimReviews to {file.FullName}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
