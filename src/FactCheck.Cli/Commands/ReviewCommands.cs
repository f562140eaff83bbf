using Verdict = FactCheck.V1.Review.Types.Verdict;

namespace FactCheck.Cli.Commands;

/// <summary><c>claims review</c> and <c>claims reviews</c>.</summary>
internal static class ReviewCommands
{
    public static Command Review()
    {
        var claim = Cli.NameArgument("claims", ": the claim to review");
        var verdict = Cli.WordOption<Verdict>("--verdict", "The verdict");
        verdict.Required = true;
        var explanation = Cli.TextOption("--explanation", "What the evidence shows", required: true);
        var evidence = new Option<string[]>("--evidence") { Description = "An http(s) URL of the evidence; repeat for more", HelpName = "url" };
        var reason = Cli.ReasonOption();
        var command = new Command("review", "Record a verdict on a claim; it supersedes earlier reviews and sets the claim's status (needs the reviewer role)")
        {
            claim, verdict, explanation, evidence, reason,
        };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var review = await context.Server.Claims.ReviewClaimAsync(new ReviewClaimRequest
            {
                Claim = context.Parse.ResourceName(claim, "claims"),
                Review = new Review
                {
                    Verdict = context.Parse.GetValue(verdict),
                    Explanation = context.Parse.GetRequiredValue(explanation),
                    EvidenceUrls = { context.Parse.GetValue(evidence) ?? [] },
                },
                Reason = context.Parse.GetValue(reason) ?? "",
            }, cancellationToken: cancellationToken);
            context.Output.Print(review, r => Output.Fields(
                ("name", r.Name),
                ("verdict", ProtoEnums.Word(r.Verdict)),
                ("reviewer", r.Reviewer),
                ("explanation", r.Explanation),
                ("evidence", string.Join(" ", r.EvidenceUrls)),
                ("created", Output.Format(r.CreateTime)),
                ("supersedes", r.Supersedes)));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command List()
    {
        var claim = Cli.NameArgument("claims");
        var limit = Cli.LimitOption("--limit", "Reviews to list at most", 50);
        var command = new Command("reviews", "List a claim's reviews, newest (current) first") { claim, limit };
        command.SetRpcAction((context, cancellationToken) => Paging.PrintAsync(context, context.Parse.GetValue(limit), "reviews",
            ListPages(context.Server, context.Parse.ResourceName(claim, "claims"), cancellationToken),
            reviews => new ListReviewsResponse { Reviews = { reviews } },
            ["CREATED", "VERDICT", "REVIEWER", "EXPLANATION", "REVIEW"],
            r => [Output.Format(r.CreateTime), ProtoEnums.Word(r.Verdict), r.Reviewer, Output.Truncate(r.Explanation, 60), r.Name]));
        return command;
    }

    /// <summary>Fetches pages of <paramref name="claim"/>'s reviews, newest first, for <see cref="Paging"/>.</summary>
    public static Func<int, string, Task<(IEnumerable<Review> Items, string NextPageToken)>> ListPages(
        Connection server, string claim, CancellationToken cancellationToken) => async (pageSize, pageToken) =>
    {
        var page = await server.Claims.ListReviewsAsync(
            new ListReviewsRequest { Claim = claim, PageSize = pageSize, PageToken = pageToken }, cancellationToken: cancellationToken);
        return (page.Reviews, page.NextPageToken);
    };
}
