using FactCheck.Transparency.Verification;

namespace FactCheck.Cli.Commands;

/// <summary><c>claims history</c>: a claim's revisions with what changed, checked against the log when a key is pinned.</summary>
internal static class RevisionCommands
{
    private const int ValueWidth = 70;

    public static Command History()
    {
        var name = Cli.NameArgument("claims");
        var limit = Cli.LimitOption("--limit", "Revisions to show at most", 50);
        var command = new Command("history", "Show every version of a claim, newest first: who changed it, why and what changed; with a pinned " +
            "log key (--log-key), each is checked to be in the audit log's signed checkpoint") { name, limit };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var pinned = PinnedKey.Find(context.Parse);
            var log = pinned is null ? null : new AuditLogClient(context.Server, pinned);
            var request = new ListClaimRevisionsRequest { Name = context.Parse.ResourceName(name, "claims") };
            var revisions = new List<ClaimRevision>();
            Checkpoint? newest = null;
            try
            {
                do
                {
                    request.PageSize = Math.Min(context.Parse.GetValue(limit) - revisions.Count, 1000);
                    var page = await context.Server.Claims.ListClaimRevisionsAsync(request, cancellationToken: cancellationToken);
                    newest ??= page.Checkpoint;
                    if (log is not null && page.Revisions.Count > 0)
                    {
                        var signed = log.Open(page.Checkpoint);
                        foreach (var revision in page.Revisions) AuditLogClient.VerifyIncluded(signed.Checkpoint, revision.AuditEvent, revision.InclusionProof);
                    }
                    revisions.AddRange(page.Revisions);
                    request.PageToken = page.NextPageToken;
                } while (request.PageToken != "" && revisions.Count < context.Parse.GetValue(limit));
            }
            catch (LogVerificationException e)
            {
                Output.Error(AuditLogClient.Describe(e));
                return ExitCodes.Failure;
            }
            context.Output.Print(new ListClaimRevisionsResponse { Revisions = { revisions }, Checkpoint = newest }, _ => Print(revisions));
            if (request.PageToken != "") Output.Note("(older revisions exist; raise --limit to see them)");
            Output.Note(log is null
                ? "(inclusion proofs not checked: pin the audit log's key with --log-key or $FACTCHECK_LOG_KEY)"
                : $"checked: {(revisions.Count == 1 ? "this revision is" : $"these {revisions.Count} revisions are")} in the audit log signed by {log.Verifier.Origin} ({newest?.TreeSize} events)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(IReadOnlyList<ClaimRevision> revisions)
    {
        foreach (var revision in revisions)
        {
            var e = revision.AuditEvent;
            Console.WriteLine($"#{revision.RevisionId}  {Output.Format(revision.RevisionCreateTime)}  {e.Action}  by {e.Principal}" +
                (e.Reason == "" ? "" : $"  ({Output.Truncate(e.Reason, 60)})"));
            foreach (var change in revision.Changes)
                Console.WriteLine($"    {change.Field}: {Value(change.BeforeJson)} -> {Value(change.AfterJson)}");
        }
    }

    private static string Value(string json) => json == "" ? "(none)" : Output.Truncate(json, ValueWidth);
}
