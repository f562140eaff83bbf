using State = FactCheck.V1.ClaimRelation.Types.State;

namespace FactCheck.Cli.Commands;

/// <summary><c>relations list|confirm|reject</c>: typed relations between claims, suggested by the server.</summary>
internal static class RelationCommands
{
    public static readonly string[] Headers = ["STATE", "CLAIM", "KIND", "RELATED CLAIM", "SCORE", "REVIEWER", "RELATION"];

    public static Command Create() => new("relations", "Typed relations between claims (REPEATS, FRAGMENT_OF, PARAPHRASE_OF, CONTRADICTS, TRANSLATION_OF)")
    {
        List(), Decide("confirm", "Confirm a suggested relation: from then on it counts in verification (reviewer role; audited)"),
        Decide("reject", "Reject a suggested relation (reviewer role; audited)"),
    };

    private static Command List()
    {
        var claim = Cli.NameArgument("claims");
        var state = Cli.WordOption<State>("--state", "Only relations in this state");
        var limit = Cli.LimitOption("--limit", "Relations to list at most", 50);
        var command = new Command("list", "A claim's relations, either way round, oldest first") { claim, state, limit };
        command.SetRpcAction((context, cancellationToken) => Paging.PrintAsync<ClaimRelation>(context, context.Parse.GetValue(limit), "relations",
            async (pageSize, pageToken) =>
            {
                var page = await context.Server.Relations.ListClaimRelationsAsync(new ListClaimRelationsRequest
                {
                    Parent = context.Parse.ResourceName(claim, "claims"),
                    State = context.Parse.GetValue(state),
                    PageSize = pageSize,
                    PageToken = pageToken,
                }, cancellationToken: cancellationToken);
                return ((IEnumerable<ClaimRelation>)page.ClaimRelations, page.NextPageToken);
            },
            relations => new ListClaimRelationsResponse { ClaimRelations = { relations } }, Headers, Row));
        return command;
    }

    private static Command Decide(string verb, string description)
    {
        var name = new Argument<string>("name") { Description = "claims/ID/relations/ID" };
        var etag = Cli.TextOption("--etag", "Only if the relation is still at this etag");
        var reason = Cli.ReasonOption();
        var command = new Command(verb, description) { name, etag, reason };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var (relationName, relationEtag, why) = (context.Parse.GetRequiredValue(name), context.Parse.GetValue(etag) ?? "", context.Parse.GetValue(reason) ?? "");
            var relation = verb == "confirm"
                ? await context.Server.Relations.ConfirmClaimRelationAsync(new ConfirmClaimRelationRequest { Name = relationName, Etag = relationEtag, Reason = why },
                    cancellationToken: cancellationToken)
                : await context.Server.Relations.RejectClaimRelationAsync(new RejectClaimRelationRequest { Name = relationName, Etag = relationEtag, Reason = why },
                    cancellationToken: cancellationToken);
            context.Output.Print(relation, r => Output.Table(Headers, [Row(r)]));
            return ExitCodes.Ok;
        });
        return command;
    }

    public static IReadOnlyList<string> Row(ClaimRelation r) =>
        [ProtoEnums.Name(r.State), r.Claim, ProtoEnums.Name(r.Kind), r.RelatedClaim, Output.Format(r.Score), r.Reviewer, r.Name];
}
