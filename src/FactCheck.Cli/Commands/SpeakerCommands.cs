using Google.Protobuf.WellKnownTypes;

namespace FactCheck.Cli.Commands;

internal static class SpeakerCommands
{
    public static Command Create() => new("speakers", "Look up speakers") { Resolve(), Get(), List() };

    /// <summary>A --speaker option: a resource name, or a name to resolve.</summary>
    public static Option<string> SpeakerOption(string description) => new("--speaker")
    {
        Description = $"{description}: speakers/ID, or a name to resolve (the best match is used)",
        HelpName = "name",
    };

    /// <summary>The resource name <paramref name="option"/> names (see <see cref="ResolveOneAsync"/>), or "" when it
    /// wasn't given.</summary>
    public static async Task<string> ResolveOptionAsync(CommandContext context, Option<string> option, CancellationToken cancellationToken) =>
        context.Parse.GetValue(option) is { } value ? await ResolveOneAsync(context.Server, value, cancellationToken) : "";

    /// <summary>Turns a --speaker value into a resource name: `speakers/...` is taken as is, anything else is
    /// resolved and the best candidate used (said on stderr, since it is a guess).</summary>
    public static async Task<string> ResolveOneAsync(Connection server, string nameOrQuery, CancellationToken cancellationToken)
    {
        if (nameOrQuery.StartsWith("speakers/", StringComparison.Ordinal)) return nameOrQuery;
        var best = await BestMatchAsync(server, nameOrQuery, cancellationToken)
            ?? throw new CliException($"no speaker matches \"{nameOrQuery}\"", ExitCodes.NotFound);
        Output.Note($"speaker: {Describe(best)}");
        return best.Speaker.Name;
    }

    /// <summary>The best-ranked speaker <paramref name="name"/> may refer to, if any.</summary>
    public static async Task<SpeakerCandidate?> BestMatchAsync(Connection server, string name, CancellationToken cancellationToken) =>
        (await server.Speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = name, MaxCandidates = 1 }, cancellationToken: cancellationToken))
            .Candidates.FirstOrDefault();

    public static string Describe(SpeakerCandidate candidate) =>
        $"{candidate.Speaker.DisplayName} ({candidate.Speaker.Name}), matched \"{candidate.Matched}\" " +
        $"as {ProtoEnums.Name(candidate.MatchKind)}, score {Output.Format(candidate.Score)}";

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

    private static Command Get() => Cli.GetCommand("speakers", "Show a speaker",
        "Show the speaker as they stood at this time (names, roles), rebuilt from the audit log",
        (context, name, readTime, cancellationToken) => context.Server.Speakers.GetSpeakerAsync(
            new GetSpeakerRequest { Name = name, ReadTime = readTime }, cancellationToken: cancellationToken).ResponseAsync,
        PrintDetail);

    private static Command List()
    {
        var limit = Cli.LimitOption("--limit", "Speakers to list at most", 50);
        var command = new Command("list", "List speakers") { limit };
        command.SetRpcAction((context, cancellationToken) => Paging.PrintAsync<Speaker>(context, context.Parse.GetValue(limit), "speakers",
            async (pageSize, pageToken) =>
            {
                var page = await context.Server.Speakers.ListSpeakersAsync(
                    new ListSpeakersRequest { PageSize = pageSize, PageToken = pageToken }, cancellationToken: cancellationToken);
                return (page.Speakers, page.NextPageToken);
            },
            speakers => new ListSpeakersResponse { Speakers = { speakers } },
            ["SPEAKER", "KIND", "DISPLAY NAME", "ALIASES"],
            s => [s.Name, ProtoEnums.Name(s.Kind), s.DisplayName, Output.Truncate(string.Join(", ", s.Aliases), 60)]));
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
