using System.CommandLine;
using FactCheck.V1;

namespace FactCheck.Cli.Commands;

internal static class SpeakerCommands
{
    public static Command Create() => new("speakers", "Look up speakers") { Resolve(), Get(), List() };

    /// <summary>Turns a --speaker value into a resource name: `speakers/...` is taken as is, anything else is
    /// resolved and the best candidate used (said on stderr, since it is a guess).</summary>
    public static async Task<string> ResolveOneAsync(Connection server, string nameOrQuery, CancellationToken cancellationToken)
    {
        if (nameOrQuery.StartsWith("speakers/", StringComparison.Ordinal)) return nameOrQuery;
        var response = await server.Speakers.ResolveSpeakerAsync(
            new ResolveSpeakerRequest { Query = nameOrQuery, MaxCandidates = 1 }, cancellationToken: cancellationToken);
        var best = response.Candidates.FirstOrDefault()
            ?? throw new CliException($"no speaker matches \"{nameOrQuery}\"", ExitCodes.NotFound);
        Output.Note($"speaker: {best.Speaker.DisplayName} ({best.Speaker.Name}), matched \"{best.Matched}\" " +
                    $"as {ProtoEnums.Name(best.MatchKind)}, score {Output.Format(best.Score)}");
        return best.Speaker.Name;
    }

    private static Command Resolve()
    {
        var query = new Argument<string>("name") { Description = "A name, alias or role as written, e.g. \"Iranian Foreign Minister\"" };
        var max = Cli.LimitOption("--max", "Candidates to return at most", 5);
        var command = new Command("resolve", "Rank the speakers a name may refer to, best first") { query, max };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var response = await context.Server.Speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest
            {
                Query = context.Parse.GetRequiredValue(query),
                MaxCandidates = context.Parse.GetValue(max),
            }, cancellationToken: cancellationToken);
            if (response.Candidates.Count == 0)
            {
                Output.Error($"no speaker matches \"{context.Parse.GetRequiredValue(query)}\"");
                return ExitCodes.NotFound;
            }
            context.Output.Print(response, r => Output.Table(
                ["SCORE", "SPEAKER", "DISPLAY NAME", "MATCHED", "MATCH KIND"],
                r.Candidates.Select(c => (IReadOnlyList<string>)
                    [Output.Format(c.Score), c.Speaker.Name, c.Speaker.DisplayName, c.Matched, ProtoEnums.Name(c.MatchKind)])));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Get()
    {
        var name = new Argument<string>("name") { Description = "speakers/ID (or just ID)" };
        var command = new Command("get", "Show a speaker") { name };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var speaker = await context.Server.Speakers.GetSpeakerAsync(
                new GetSpeakerRequest { Name = Cli.ResourceName("speakers", context.Parse.GetRequiredValue(name)) },
                cancellationToken: cancellationToken);
            context.Output.Print(speaker, PrintDetail);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List()
    {
        var limit = Cli.LimitOption("--limit", "Speakers to list at most", 50);
        var command = new Command("list", "List speakers") { limit };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var (speakers, more) = await Paging.CollectAsync<Speaker>(context.Parse.GetValue(limit), async (pageSize, pageToken) =>
            {
                var page = await context.Server.Speakers.ListSpeakersAsync(
                    new ListSpeakersRequest { PageSize = pageSize, PageToken = pageToken }, cancellationToken: cancellationToken);
                return (page.Speakers, page.NextPageToken);
            });
            context.Output.Print(new ListSpeakersResponse { Speakers = { speakers } }, r => Output.Table(
                ["SPEAKER", "KIND", "DISPLAY NAME", "ALIASES"],
                r.Speakers.Select(s => (IReadOnlyList<string>)
                    [s.Name, ProtoEnums.Name(s.Kind), s.DisplayName, Output.Truncate(string.Join(", ", s.Aliases), 60)])));
            if (more) Output.Note("(more speakers exist; raise --limit to see them)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void PrintDetail(Speaker speaker)
    {
        Output.Fields(
            ("name", speaker.Name),
            ("display name", speaker.DisplayName),
            ("kind", ProtoEnums.Name(speaker.Kind)),
            ("aliases", string.Join(", ", speaker.Aliases)),
            ("wikidata", speaker.WikidataId),
            ("description", speaker.Description),
            ("created", Output.Format(speaker.CreateTime)),
            ("updated", Output.Format(speaker.UpdateTime)),
            ("etag", speaker.Etag));
        if (speaker.Roles.Count == 0) return;
        Console.WriteLine("roles:");
        foreach (var role in speaker.Roles)
        {
            var held = role.StartDate is null && role.EndDate is null ? "" : $" ({Output.Format(role.StartDate)} – {Output.Format(role.EndDate)})";
            Console.WriteLine($"  - {string.Join(", ", new[] { role.Title, role.Organization }.Where(s => s != ""))}{held}");
        }
    }
}
