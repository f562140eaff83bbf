using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FactCheck.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace FactCheck.Cli.Commands;

internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "Seed file (the format of fixtures/seed/*.json)" }.AcceptExistingOnly();
        var command = new Command("import", "Create a seed file's speakers and claims; importing it again creates nothing new") { file };
        command.SetRpcAction((context, cancellationToken) =>
            new Importer(context, cancellationToken).RunAsync(SeedFile.Load(context.Parse.GetRequiredValue(file))));
        return command;
    }

    private sealed record Item(string Kind, string Key, string Outcome, string? Name = null, string? Error = null, IReadOnlyList<string>? Violations = null)
    {
        public const string Created = "created", Reused = "reused", Failed = "failed";
    }

    private sealed class Importer(CommandContext context, CancellationToken cancellationToken)
    {
        private static readonly JsonSerializerOptions SummaryJson = new(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // stdout, not HTML
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        };

        // The server only says "reused" implicitly: a repeated request returns the resource created earlier, so
        // anything created before this run began is reused. This assumes the server's clock agrees with ours.
        private readonly Timestamp started = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);

        private readonly List<Item> items = [];

        public async Task<int> RunAsync(SeedFile seed)
        {
            var speakerNames = new Dictionary<string, string>();
            foreach (var speaker in seed.Speakers)
            {
                var item = await ImportAsync("speaker", speaker.Key, async () =>
                {
                    var created = await context.Server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest
                    {
                        Speaker = speaker.ToProto(),
                        RequestId = RequestId(seed.Source, "speakers", speaker.Key),
                    }, cancellationToken: cancellationToken);
                    return (created.Name, created.CreateTime);
                });
                if (item.Name is not null) speakerNames[speaker.Key] = item.Name;
            }
            foreach (var claim in seed.Claims)
            {
                await ImportAsync("claim", claim.Key, async () =>
                {
                    var created = await context.Server.Claims.CreateClaimAsync(new CreateClaimRequest
                    {
                        Claim = claim.ToProto(seed.Source, speakerNames),
                        RequestId = RequestId(seed.Source, "claims", claim.Key),
                    }, cancellationToken: cancellationToken);
                    return (created.Name, created.CreateTime);
                });
            }
            PrintSummary();
            return items.Any(i => i.Outcome == Item.Failed) ? ExitCodes.Failure : ExitCodes.Ok;
        }

        /// <summary>Same file, same key, same request id: importing the file again repeats the same requests.</summary>
        private static string RequestId(SeedSource source, string collection, string key) =>
            ("import:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{source.Url}:{collection}/{key}"))))[..64];

        /// <summary>Runs one create, recording and reporting its outcome. A failure of the item is recorded and the
        /// import goes on; an unreachable server or a cancellation ends it.</summary>
        private async Task<Item> ImportAsync(string kind, string key, Func<Task<(string Name, Timestamp? CreateTime)>> create)
        {
            Item item;
            try
            {
                var (name, createTime) = await create();
                item = new Item(kind, key, createTime is not null && createTime < started ? Item.Reused : Item.Created, name);
                if (!context.Output.Json) Console.WriteLine($"{item.Outcome,-8} {kind,-8} {name}  {key}");
            }
            catch (SeedException ex)
            {
                item = new Item(kind, key, Item.Failed, Error: ex.Message);
                Output.Error($"{kind} {key}: {ex.Message}");
            }
            catch (RpcException ex) when (ex.StatusCode is not (StatusCode.Unavailable or StatusCode.Cancelled))
            {
                item = new Item(kind, key, Item.Failed, Error: $"{ex.StatusCode}: {ex.Status.Detail}", Violations: [.. Output.Violations(ex)]);
                Output.Error(ex, $"{kind} {key}");
            }
            items.Add(item);
            return item;
        }

        private void PrintSummary()
        {
            var counts = new[] { "speaker", "claim" }.ToDictionary(kind => kind + "s", kind => new
            {
                Created = items.Count(i => i.Kind == kind && i.Outcome == Item.Created),
                Reused = items.Count(i => i.Kind == kind && i.Outcome == Item.Reused),
                Failed = items.Count(i => i.Kind == kind && i.Outcome == Item.Failed),
            });
            if (context.Output.Json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new { counts, items }, SummaryJson));
                return;
            }
            foreach (var (collection, count) in counts)
                Console.WriteLine($"{collection + ":",-10}{count.Created} created, {count.Reused} reused, {count.Failed} failed");
        }
    }
}
