using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;

namespace FactCheck.Cli.Commands;

internal static class ImportCommand
{
    /// <summary>A ClaimReview author is taken to be a speaker on record when it resolves at least this well.</summary>
    private const double SameSpeakerScore = 0.9;

    /// <summary>attribution_confidence of the claims of a ClaimReview feed.</summary>
    private const double FeedConfidence = 0.8;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file")
        {
            Description = "A seed file (the format of fixtures/seed/*.json), or a schema.org ClaimReview feed: a JSON-LD array of " +
                          "ClaimReviews, one ClaimReview object, or JSON Lines with one ClaimReview a line (told apart by content)",
        }.AcceptExistingOnly();
        var kind = Cli.WordOption<AttributionKind>("--kind", "ClaimReview feeds: the attribution kind of claims whose author is named");
        kind.DefaultValueFactory = _ => AttributionKind.DirectQuote;
        var language = Cli.TextOption("--language", "ClaimReview feeds: the language of claims without inLanguage", "tag");
        language.DefaultValueFactory = _ => "en";
        var command = new Command("import",
            "Create a seed file's speakers and claims, or a ClaimReview feed's speakers, claims and reviews; importing the same " +
            "file again creates nothing new. ClaimReview authors resolve to existing speakers when the best match scores at " +
            $"least {SameSpeakerScore}; a review is skipped when the claim already has one from the same ClaimReview url")
        {
            file, kind, language,
        };
        command.SetRpcAction((context, cancellationToken) =>
        {
            var path = context.Parse.GetRequiredValue(file);
            string text;
            try
            {
                text = File.ReadAllText(path.FullName);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot read {path.Name}: {ex.Message}");
            }
            var importer = new Importer(context, cancellationToken);
            return ClaimReviewFormat.ReadFeed(text) is { } feed
                ? importer.RunAsync(feed, new FeedDefaults(context.Parse.GetValue(kind), context.Parse.GetRequiredValue(language), FeedConfidence))
                : importer.RunAsync(SeedFile.Parse(text, path.Name));
        });
        return command;
    }

    private sealed record Item(string Kind, string Key, string Outcome, string? Name = null, string? Error = null, IReadOnlyList<string>? Violations = null)
    {
        public const string Created = "created", Reused = "reused", Failed = "failed";
    }

    private sealed class Importer(CommandContext context, CancellationToken cancellationToken)
    {
        // The server only says "reused" implicitly: a repeated request returns the resource created earlier, so
        // anything created before this run began is reused. This assumes the server's clock agrees with ours.
        private readonly Timestamp started = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);

        private readonly List<Item> items = [];
        private ProgressBar progress = new(0, "");

        public async Task<int> RunAsync(SeedFile seed)
        {
            using var bar = progress = new ProgressBar(seed.Speakers.Count + seed.Claims.Count, "importing");
            var speakerNames = new Dictionary<string, string>();
            foreach (var speaker in seed.Speakers)
            {
                var item = await ImportAsync("speaker", speaker.Key, async () =>
                {
                    var created = await context.Server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest
                    {
                        Speaker = speaker.ToProto(),
                        RequestId = RequestId(seed.Source.Url, "speakers", speaker.Key),
                    }, cancellationToken: cancellationToken);
                    return (created.Name, Existed(created.CreateTime));
                });
                if (item.Name is not null) speakerNames[speaker.Key] = item.Name;
                progress.Advance();
            }
            foreach (var claim in seed.Claims)
            {
                await ImportAsync("claim", claim.Key, () => CreateClaimAsync(
                    claim.ToProto(seed.Source, speakerNames), RequestId(seed.Source.Url, "claims", claim.Key)));
                progress.Advance();
            }
            return Finish("speaker", "claim");
        }

        public async Task<int> RunAsync(IReadOnlyList<FeedEntry> feed, FeedDefaults defaults)
        {
            using var bar = progress = new ProgressBar(feed.Count, "importing");
            var speakerNames = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in feed)
            {
                ImportedClaimReview? imported = null;
                var claim = await ImportAsync("claim", entry.Position, async () =>
                {
                    imported = ClaimReviewFormat.Read(entry, defaults);
                    if (imported.Author is { } author)
                        imported.Claim.Speaker = await SpeakerAsync(author, speakerNames)
                            ?? throw new SeedException($"its speaker \"{author.Name}\" failed to import");
                    return await CreateClaimAsync(imported.Claim, RequestId("claimreview", "claims", imported.Url));
                }, key: () => imported?.Url);
                if (claim.Name is not null && imported is not null)
                {
                    if (imported.Note is { } note) Say(() => Output.Note($"review {imported.Url}: {note}"));
                    await ImportAsync("review", imported.Url, () => ReviewAsync(claim.Name, imported));
                }
                progress.Advance();
            }
            return Finish("speaker", "claim", "review");
        }

        /// <summary>The speaker a ClaimReview's author names: the best match on record if it is good enough, else a
        /// new speaker. Each name is looked up once a run.</summary>
        private async Task<string?> SpeakerAsync(ClaimAuthor author, Dictionary<string, string?> speakerNames)
        {
            if (speakerNames.TryGetValue(author.Name, out var known)) return known;
            var item = await ImportAsync("speaker", author.Name, async () =>
            {
                if (await SpeakerCommands.BestMatchAsync(context.Server, author.Name, cancellationToken) is { } match && match.Score >= SameSpeakerScore)
                    return (match.Speaker.Name, true);
                var created = await context.Server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest
                {
                    Speaker = new Speaker { DisplayName = author.Name, Kind = author.Kind },
                    RequestId = RequestId("claimreview", "speakers", author.Name),
                }, cancellationToken: cancellationToken);
                return (created.Name, Existed(created.CreateTime));
            });
            return speakerNames[author.Name] = item.Name;
        }

        private async Task<(string Name, bool Existed)> CreateClaimAsync(Claim claim, string requestId)
        {
            var created = await context.Server.Claims.CreateClaimAsync(
                new CreateClaimRequest { Claim = claim, RequestId = requestId }, cancellationToken: cancellationToken);
            return (created.Name, Existed(created.CreateTime));
        }

        /// <summary>Records the ClaimReview's review unless the claim has one from it already (its explanation names
        /// the ClaimReview's url): reviews take no request id.</summary>
        private async Task<(string Name, bool Existed)> ReviewAsync(string claim, ImportedClaimReview imported)
        {
            await foreach (var earlier in Paging.AllAsync(ReviewCommands.ListPages(context.Server, claim, cancellationToken)))
                if (earlier.Explanation.Contains(imported.Url, StringComparison.Ordinal)) return (earlier.Name, true);
            var review = await context.Server.Claims.ReviewClaimAsync(
                new ReviewClaimRequest { Claim = claim, Review = imported.Review, Reason = "ClaimReview import" }, cancellationToken: cancellationToken);
            return (review.Name, false);
        }

        private bool Existed(Timestamp? createTime) => createTime is not null && createTime < started;

        /// <summary>Same file, same key, same request id: importing the file again repeats the same requests.</summary>
        private static string RequestId(string scope, string collection, string key) =>
            ("import:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{scope}:{collection}/{key}"))))[..64];

        /// <summary>Runs one create, recording and reporting its outcome. A failure of the item is recorded and the
        /// import goes on; an unreachable server or a cancellation ends it.</summary>
        /// <param name="key">The item's key once known, when it is only learnt while creating; else <paramref name="position"/>.</param>
        private async Task<Item> ImportAsync(string kind, string position, Func<Task<(string Name, bool Existed)>> create, Func<string?>? key = null)
        {
            Item item;
            try
            {
                var (name, existed) = await create();
                item = new Item(kind, key?.Invoke() ?? position, existed ? Item.Reused : Item.Created, name);
                if (!context.Output.Json) Say(() => Console.WriteLine($"{item.Outcome,-8} {kind,-8} {name}  {item.Key}"));
            }
            catch (SeedException ex)
            {
                item = new Item(kind, key?.Invoke() ?? position, Item.Failed, Error: ex.Message);
                Say(() => Output.Error($"{kind} {item.Key}: {ex.Message}"));
            }
            catch (RpcException ex) when (ex.StatusCode is not (StatusCode.Unavailable or StatusCode.Cancelled or StatusCode.Unauthenticated))
            {
                item = new Item(kind, key?.Invoke() ?? position, Item.Failed, Error: $"{ex.StatusCode}: {ex.Status.Detail}", Violations: [.. Output.Violations(ex)]);
                Say(() => Output.Error(ex, $"{kind} {item.Key}"));
            }
            items.Add(item);
            return item;
        }

        /// <summary>Prints a line without tearing the progress bar.</summary>
        private void Say(Action print)
        {
            progress.Clear();
            print();
            progress.Draw();
        }

        private int Finish(params string[] kinds)
        {
            progress.Clear();
            PrintSummary(kinds);
            return items.Any(i => i.Outcome == Item.Failed) ? ExitCodes.Failure : ExitCodes.Ok;
        }

        private void PrintSummary(string[] kinds)
        {
            var counts = kinds.ToDictionary(kind => kind + "s", kind => new
            {
                Created = items.Count(i => i.Kind == kind && i.Outcome == Item.Created),
                Reused = items.Count(i => i.Kind == kind && i.Outcome == Item.Reused),
                Failed = items.Count(i => i.Kind == kind && i.Outcome == Item.Failed),
            });
            if (context.Output.Json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new { counts, items }, Output.PlainJson));
                return;
            }
            foreach (var (collection, count) in counts)
                Console.WriteLine($"{collection + ":",-10}{count.Created} created, {count.Reused} reused, {count.Failed} failed");
            foreach (var failed in items.Where(i => i.Outcome == Item.Failed))
                Console.WriteLine($"failed: {failed.Kind} {failed.Key}: {failed.Error}");
        }
    }
}
