using System.CommandLine;
using FactCheck.V1;

namespace FactCheck.Cli.Commands;

/// <summary><c>audit log</c> and <c>audit verify</c> (the auditor role).</summary>
internal static class AuditCommands
{
    private static readonly string[] Headers = ["SEQ", "TIME", "PRINCIPAL", "ACTION", "RESOURCE", "REASON"];

    public static Command Create() => new("audit", "Read and check the audit log (needs the auditor role)") { Log(), Verify() };

    private static Command Log()
    {
        var resource = Cli.TextOption("--resource", "Only changes to this resource, e.g. claims/ID or claims/ID/reviews/ID", "name");
        var principal = Cli.TextOption("--principal", "Only changes made by this principal", "principal");
        var action = Cli.TextOption("--action", "Only this action, e.g. claim.create, review.create, api_key.revoke", "action");
        var limit = Cli.LimitOption("--limit", "Events to list at most", 50);
        var command = new Command("log", "List audit events, oldest first") { resource, principal, action, limit };
        command.SetRpcAction((context, cancellationToken) =>
        {
            var request = new ListAuditEventsRequest
            {
                Resource = context.Parse.GetValue(resource) ?? "",
                Principal = context.Parse.GetValue(principal) ?? "",
                Action = context.Parse.GetValue(action) ?? "",
            };
            return Paging.PrintAsync<AuditEvent>(context, context.Parse.GetValue(limit), "events", async (pageSize, pageToken) =>
                {
                    request.PageSize = pageSize;
                    request.PageToken = pageToken;
                    var page = await context.Server.Audit.ListAuditEventsAsync(request, cancellationToken: cancellationToken);
                    return (page.Events, page.NextPageToken);
                },
                events => new ListAuditEventsResponse { Events = { events } }, Headers, Row);
        });
        return command;
    }

    private static Command Verify()
    {
        var command = new Command("verify", "Check the whole hash chain; exit 0 when intact, 1 when broken (the first broken event is shown)");
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var response = await context.Server.Audit.VerifyAuditLogAsync(new VerifyAuditLogRequest(), cancellationToken: cancellationToken);
            context.Output.Print(response, r =>
            {
                if (r.Ok)
                {
                    Console.WriteLine($"ok: the chain of {r.EventsChecked} events is intact");
                    return;
                }
                Console.WriteLine($"broken: {r.Problem} ({r.EventsChecked} events checked)");
                if (r.FirstBrokenEvent is { } broken) Output.Table(Headers, [Row(broken)]);
            });
            return response.Ok ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static string[] Row(AuditEvent e) =>
        [e.Sequence.ToString(), Output.Format(e.Time), e.Principal, e.Action, e.Resource, Output.Truncate(e.Reason, 50)];
}
