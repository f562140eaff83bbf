using System.Globalization;
using FactCheck.Transparency.Verification;

namespace FactCheck.Cli.Commands;

/// <summary><c>audit log</c> and <c>audit verify</c> (the auditor role); <c>audit checkpoint</c>, <c>audit verify
/// --checkpoint</c> and <c>audit witness</c>, the checks anyone holding the log's key can make without trusting the
/// server.</summary>
internal static class AuditCommands
{
    private static readonly string[] Headers = ["SEQ", "TIME", "PRINCIPAL", "ACTION", "RESOURCE", "REASON"];

    public static Command Create() => new("audit", "Read and check the audit log (log and the server's own verify need the auditor role)")
    {
        Log(), Verify(), Checkpoint(), Witness(),
    };

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
        var checkpoint = Cli.TextOption("--checkpoint", "A checkpoint saved before (audit checkpoint --save): check, with the pinned key, that the " +
            "log still extends it and that every event it lists is in the log's signed tree, instead of asking the server to check itself", "file");
        var command = new Command("verify", "Check the audit log; exit 0 when intact, 1 on a broken chain, a truncation, a rewrite or a fork " +
            "(saying which). Without --checkpoint the server checks its own chain and tree (auditor role).") { checkpoint };
        command.SetRpcAction((context, cancellationToken) => context.Parse.GetValue(checkpoint) is { } file
            ? VerifyAgainstAsync(context, file, cancellationToken)
            : VerifyOnServerAsync(context, cancellationToken));
        return command;
    }

    private static async Task<int> VerifyOnServerAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var response = await context.Server.Audit.VerifyAuditLogAsync(new VerifyAuditLogRequest(), cancellationToken: cancellationToken);
        context.Output.Print(response, r =>
        {
            if (r.Ok)
            {
                Console.WriteLine($"ok: the chain and the Merkle tree of {r.EventsChecked} events are intact");
                return;
            }
            Console.WriteLine($"broken: {r.Problem} ({r.EventsChecked} events checked)");
            if (r.FirstBrokenEvent is { } broken) Output.Table(Headers, [Row(broken)]);
        });
        return response.Ok ? ExitCodes.Ok : ExitCodes.Failure;
    }

    /// <summary>
    /// The client's own check: the saved and the latest checkpoints are signed by the pinned key, the latest extends the
    /// saved one (consistency proof), and every event the server lists, re-encoded from what it returned, is in the signed
    /// tree (inclusion proofs), events 1 to its size without a gap.
    /// </summary>
    private static async Task<int> VerifyAgainstAsync(CommandContext context, string file, CancellationToken cancellationToken)
    {
        var log = new AuditLogClient(context.Server, PinnedKey.Require(context.Parse, "audit verify --checkpoint"));
        try
        {
            var saved = log.Verifier.Open(await ReadCheckpointFileAsync(file, cancellationToken));
            var latest = await log.LatestAsync(cancellationToken);
            await LogVerifier.VerifyExtendsAsync(saved.Checkpoint, latest.Checkpoint, log.Proofs, cancellationToken);
            var size = latest.Checkpoint.Size;
            Console.WriteLine($"ok: the log of {size} events extends the saved checkpoint of {saved.Checkpoint.Size} events (signed by {log.Verifier.Origin})");
            long events;
            try
            {
                events = await VerifyEveryEventAsync(context, log, latest, cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.PermissionDenied)
            {
                Output.Note("events not checked: listing them needs the auditor role (the checkpoints above were)");
                return ExitCodes.Ok;
            }
            Console.WriteLine($"ok: all {events} events listed are in the signed log, each at its place");
            return ExitCodes.Ok;
        }
        catch (LogVerificationException e)
        {
            Output.Error(AuditLogClient.Describe(e));
            return ExitCodes.Failure;
        }
    }

    /// <summary>Lists every event with its inclusion proof and checks each; returns how many were checked.</summary>
    private static async Task<long> VerifyEveryEventAsync(CommandContext context, AuditLogClient log, SignedCheckpoint latest, CancellationToken cancellationToken)
    {
        var request = new ListAuditEventsRequest { PageSize = 1000, IncludeProofs = true };
        var current = latest;
        long expected = 1;
        do
        {
            var page = await context.Server.Audit.ListAuditEventsAsync(request, cancellationToken: cancellationToken);
            if (page.Events.Count > 0)
            {
                // Events appended meanwhile come against a later checkpoint, which must extend the one checked.
                var pageCheckpoint = log.Open(page.Checkpoint ?? throw new LogVerificationException(LogFailure.Malformed, "the server listed events without a checkpoint"));
                await LogVerifier.VerifyExtendsAsync(current.Checkpoint, pageCheckpoint.Checkpoint, log.Proofs, cancellationToken);
                current = pageCheckpoint;
            }
            for (var i = 0; i < page.Events.Count; i++)
            {
                var e = page.Events[i];
                if (e.Sequence != expected)
                {
                    throw new LogVerificationException(LogFailure.Rewrite, e.Sequence > expected
                        ? $"rewrite: event #{expected} is missing (the server lists #{e.Sequence} after #{expected - 1}), yet the signed log holds it: it was deleted"
                        : $"rewrite: the server lists event #{e.Sequence} where #{expected} belongs: events were reordered or repeated");
                }
                if (i >= page.InclusionProofs.Count) throw new LogVerificationException(LogFailure.NotIncluded, $"the server sent no inclusion proof for event #{e.Sequence}");
                AuditLogClient.VerifyIncluded(current.Checkpoint, e, page.InclusionProofs[i]);
                expected++;
            }
            request.PageToken = page.NextPageToken;
        } while (request.PageToken != "");
        if (expected - 1 < latest.Checkpoint.Size)
        {
            throw new LogVerificationException(LogFailure.Truncation,
                $"truncation: the signed log holds {latest.Checkpoint.Size} events but the server lists only {expected - 1}: events #{expected} to #{latest.Checkpoint.Size} were deleted from its end");
        }
        return expected - 1;
    }

    private static Command Checkpoint()
    {
        var save = Cli.TextOption("--save", "Check the checkpoint with the pinned key and save it to this file (replacing one saved before only if " +
            "the log still extends it), for a later audit verify --checkpoint", "file");
        var command = new Command("checkpoint", "Show the audit log's latest signed checkpoint: its size and root hash") { save };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var checkpoint = await context.Server.Audit.GetCheckpointAsync(new GetCheckpointRequest { Name = AuditLogClient.CheckpointName },
                cancellationToken: cancellationToken);
            var pinned = context.Parse.GetValue(save) is null ? PinnedKey.Find(context.Parse) : PinnedKey.Require(context.Parse, "audit checkpoint --save");
            try
            {
                var signed = pinned is null ? null : new AuditLogClient(context.Server, pinned).Open(checkpoint);
                context.Output.Print(checkpoint, c => Output.Fields(
                    ("Origin", c.Origin), ("Tree size", c.TreeSize.ToString(CultureInfo.InvariantCulture)), ("Root hash", c.RootHash.ToBase64()),
                    ("Signature", signed is null ? "not checked (no key pinned: --log-key)" : $"good, by the pinned key {pinned!.Origin}"),
                    ("Served key", c.VerifierKey)));
                if (context.Parse.GetValue(save) is { } file) await SaveAsync(new AuditLogClient(context.Server, pinned!), signed!, file, cancellationToken);
                return ExitCodes.Ok;
            }
            catch (LogVerificationException e)
            {
                Output.Error(AuditLogClient.Describe(e));
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    /// <summary>Saves the checkpoint, whole or not at all; a file saved before is only replaced by a checkpoint that
    /// extends it, so the evidence of a rewrite is never overwritten.</summary>
    private static async Task SaveAsync(AuditLogClient log, SignedCheckpoint latest, string file, CancellationToken cancellationToken)
    {
        if (File.Exists(file))
        {
            var saved = log.Verifier.Open(await ReadCheckpointFileAsync(file, cancellationToken));
            await LogVerifier.VerifyExtendsAsync(saved.Checkpoint, latest.Checkpoint, log.Proofs, cancellationToken);
        }
        var temporary = file + ".tmp";
        await File.WriteAllBytesAsync(temporary, latest.Note, cancellationToken);
        File.Move(temporary, file, overwrite: true);
        Output.Note($"saved the checkpoint of {latest.Checkpoint.Size} events to {file}");
    }

    private static Command Witness()
    {
        var directory = Cli.TextOption("--dir", "Where to keep the newest verified checkpoint (and any rejected one, as evidence)", "dir", required: true);
        var every = new Option<TimeSpan>("--every")
        {
            Description = "How often to fetch the checkpoint: 30s, 1m, 1h",
            HelpName = "interval",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(1),
            CustomParser = result => ParseInterval(result.Tokens.Single().Value) is { } interval ? interval : Refuse(result),
        };
        var once = new Option<bool>("--once") { Description = "Check once and exit (for cron)" };
        var command = new Command("witness", "Keep watching the audit log: accept each new checkpoint only if it extends the last one verified; exit 1 " +
            "on a truncation, a rewrite or a fork, keeping the offending checkpoint as evidence") { directory, every, once };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var log = new AuditLogClient(context.Server, PinnedKey.Require(context.Parse, "audit witness"));
            var dir = context.Parse.GetRequiredValue(directory);
            var witness = new FactCheck.Transparency.Verification.Witness(dir, log.Verifier);
            try
            {
                while (true)
                {
                    try
                    {
                        var before = witness.Trusted()?.Checkpoint.Size;
                        var trusted = await witness.ObserveAsync(await log.LatestAsync(cancellationToken), log.Proofs, cancellationToken);
                        Console.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss'Z'} ok: {trusted.Checkpoint.Size} events, root {trusted.Checkpoint.RootHash}" +
                            (before is null ? " (first checkpoint seen: trusted as it is)" : before == trusted.Checkpoint.Size ? " (unchanged)" : $" (extends {before})"));
                    }
                    catch (RpcException e) when (!context.Parse.GetValue(once))
                    {
                        // A server that is down is not a log that lies: keep watching.
                        Output.Error(e, "fetching the checkpoint");
                    }
                    if (context.Parse.GetValue(once)) return ExitCodes.Ok;
                    await Task.Delay(context.Parse.GetValue(every), cancellationToken);
                }
            }
            catch (LogVerificationException e)
            {
                Output.Error(AuditLogClient.Describe(e));
                Output.Note($"  the checkpoint that failed is kept in {dir} as rejected-*.note; with the one in {dir}/{FactCheck.Transparency.Verification.Witness.CheckpointFileName} it proves the log misbehaved");
                return ExitCodes.Failure;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    private static TimeSpan Refuse(System.CommandLine.Parsing.ArgumentResult result)
    {
        result.AddError($"--every must be a positive interval such as 30s, 1m or 1h, not \"{result.Tokens.Single().Value}\"");
        return default;
    }

    /// <summary>"30s", "1m", "1h" (or a TimeSpan such as 00:01:00); null when it is none, or not positive.</summary>
    private static TimeSpan? ParseInterval(string text)
    {
        var units = new Dictionary<char, TimeSpan> { ['s'] = TimeSpan.FromSeconds(1), ['m'] = TimeSpan.FromMinutes(1), ['h'] = TimeSpan.FromHours(1) };
        TimeSpan? interval = text.Length > 1 && units.TryGetValue(text[^1], out var unit)
            && double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var count)
            ? unit * count
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        return interval > TimeSpan.Zero ? interval : null;
    }

    private static async Task<byte[]> ReadCheckpointFileAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(file, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the checkpoint file {file}: {e.Message}");
        }
    }

    private static string[] Row(AuditEvent e) =>
        [e.Sequence.ToString(), Output.Format(e.Time), e.Principal, e.Action, e.Resource, Output.Truncate(e.Reason, 50)];
}
