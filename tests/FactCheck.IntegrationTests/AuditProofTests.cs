using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FactCheck.Caching;
using FactCheck.IntegrationTests.Caching;
using FactCheck.Server.Hosting;
using FactCheck.Transparency.Audit;
using FactCheck.Transparency.Verification;
using FactCheck.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Hash = FactCheck.Transparency.Merkle.Hash;
using NoteVerifier = FactCheck.Transparency.Notes.NoteVerifier;

namespace FactCheck.IntegrationTests;

/// <summary>
/// The verifiable audit log through the API: checkpoints and proofs (open to readers, on gRPC and JSON), their
/// errors, sizes that agree between watch, list and proofs, the signing key across restarts, and "as of" reads and
/// revisions (never served from the cache). Clients check everything with the key as the server created it.
/// </summary>
public sealed class AuditProofTests : IAsyncLifetime
{
    private const string ReaderKey = "fck_audit-proof-reader";

    private readonly TempDirectory directory = new();
    private TestServer server = null!;

    private string DatabasePath => directory.File("audit.db");
    private AuditService.AuditServiceClient Audit => new(server.Channel);

    /// <summary>The client's pinned key: the verifier of the key the server keeps in its data folder.</summary>
    private LogVerifier Client => new(NoteVerifier.Parse(server.Services.GetRequiredService<AuditSigningKey>().Signer.Verifier.VerifierKey));

    public async Task InitializeAsync() => server = await StartAsync();

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        directory.Dispose();
    }

    private Task<TestServer> StartAsync(params string[] settings) => TestServer.StartAsync(DatabasePath,
        ["--Auth:Keys:1:Principal=outside-reader", "--Auth:Keys:1:Roles=reader", $"--Auth:Keys:1:Secret={ReaderKey}", .. settings]);

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task AReaderGetsSignedCheckpointsAndProofsOverGrpcAndJsonButNotTheEventsThemselves()
    {
        var claim = await NewClaimAsync();
        using var reader = TestChannels.Create(server.Address, ReaderKey);
        var audit = new AuditService.AuditServiceClient(reader);

        var checkpoint = await audit.GetCheckpointAsync(new GetCheckpointRequest { Name = "auditLog/checkpoint" });
        var signed = Client.Open(Encoding.UTF8.GetBytes(checkpoint.SignedNote));
        Assert.Equal((AuditLogKey.DefaultOrigin, 2L), (checkpoint.Origin, checkpoint.TreeSize));
        Assert.Equal(signed.Checkpoint.RootHash.ToArray(), checkpoint.RootHash.ToByteArray());
        Assert.Equal(Client.Origin, signed.Checkpoint.Origin);
        // The key lives in the data folder, next to the database, and is what the checkpoint says it serves.
        Assert.True(File.Exists(directory.File("audit-log.key")));
        Assert.StartsWith(AuditLogKey.DefaultOrigin + "+", checkpoint.VerifierKey);
        Assert.Equal(checkpoint.VerifierKey, server.Services.GetRequiredService<AuditSigningKey>().Signer.Verifier.VerifierKey);

        var events = (await Audit.ListAuditEventsAsync(new ListAuditEventsRequest())).Events;
        var proof = await audit.GetInclusionProofAsync(new GetInclusionProofRequest { Name = events[1].Name });
        Assert.Equal((events[1].Name, 1L, 2L), (proof.AuditEvent, proof.LeafIndex, proof.TreeSize));
        LogVerifier.VerifyIncluded(Client.Open(Encoding.UTF8.GetBytes(proof.Checkpoint.SignedNote)).Checkpoint, Leaf(events[1]), Hashes(proof.Hashes));
        Assert.Equal(claim.Name, events[1].Resource);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => audit.ListAuditEventsAsync(new ListAuditEventsRequest()).ResponseAsync);

        using var http = new HttpClient { BaseAddress = new Uri(server.HttpAddress) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReaderKey);
        using var json = JsonDocument.Parse(await http.GetStringAsync("/v1/auditLog/checkpoint"));
        Assert.Equal(checkpoint.SignedNote, json.RootElement.GetProperty("signedNote").GetString());
        using var consistency = JsonDocument.Parse(await http.GetStringAsync("/v1/auditLog:consistencyProof?firstTreeSize=1&secondTreeSize=2"));
        var hashes = consistency.RootElement.GetProperty("hashes").EnumerateArray().Select(h => Hash.Parse(h.GetString()!)).ToList();
        // The tree of one event has that event's leaf as its root.
        Assert.True(Transparency.Merkle.ConsistencyProof.Verify(1, Leaf(events[0]).LeafHash(), 2, signed.Checkpoint.RootHash, hashes));
        using var inclusion = JsonDocument.Parse(await http.GetStringAsync($"/v1/{events[0].Name}:inclusionProof?treeSize=2"));
        Assert.Equal(2, inclusion.RootElement.GetProperty("treeSize").GetInt64());
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/v1/auditEvents")).StatusCode);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task ImpossibleProofRequestsGetAStatusThatNamesTheField()
    {
        await NewClaimAsync();

        await RpcAssert.InvalidField("name", () => Audit.GetCheckpointAsync(new GetCheckpointRequest { Name = "auditLog/latest" }).ResponseAsync);
        await RpcAssert.InvalidField("name", () => Audit.GetInclusionProofAsync(new GetInclusionProofRequest { Name = "auditEvents/0" }).ResponseAsync);
        await RpcAssert.InvalidField("name", () => Audit.GetInclusionProofAsync(new GetInclusionProofRequest { Name = "claims/1" }).ResponseAsync);
        await RpcAssert.InvalidField("name", () => Audit.GetInclusionProofAsync(new GetInclusionProofRequest { Name = "auditEvents/2", TreeSize = 1 }).ResponseAsync);
        await RpcAssert.InvalidField("tree_size", () => Audit.GetInclusionProofAsync(new GetInclusionProofRequest { Name = "auditEvents/1", TreeSize = -1 }).ResponseAsync);
        await RpcAssert.InvalidField("first_tree_size", () => Audit.GetConsistencyProofAsync(new GetConsistencyProofRequest { SecondTreeSize = 2 }).ResponseAsync);
        await RpcAssert.InvalidField("first_tree_size", () => Audit.GetConsistencyProofAsync(new GetConsistencyProofRequest { FirstTreeSize = 2, SecondTreeSize = 1 }).ResponseAsync);
        await PreconditionFails("tree_size", () => Audit.GetInclusionProofAsync(new GetInclusionProofRequest { Name = "auditEvents/1", TreeSize = 3 }).ResponseAsync);
        await PreconditionFails("name", () => Audit.GetInclusionProofAsync(new GetInclusionProofRequest { Name = "auditEvents/3" }).ResponseAsync);
        await PreconditionFails("second_tree_size", () => Audit.GetConsistencyProofAsync(new GetConsistencyProofRequest { FirstTreeSize = 1, SecondTreeSize = 3 }).ResponseAsync);
        await PreconditionFails("first_tree_size", () => Audit.GetConsistencyProofAsync(new GetConsistencyProofRequest { FirstTreeSize = 3 }).ResponseAsync);
        Assert.Empty((await Audit.GetConsistencyProofAsync(new GetConsistencyProofRequest { FirstTreeSize = 2, SecondTreeSize = 2 })).Hashes);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task WatchListAndProofsAgreeOnSizes()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = Audit.WatchAuditEvents(new WatchAuditEventsRequest(), cancellationToken: cancel.Token);
        var saved = Client.Open(Encoding.UTF8.GetBytes((await Audit.GetCheckpointAsync(new GetCheckpointRequest { Name = "auditLog/checkpoint" })).SignedNote));
        for (var i = 0; i < 3; i++) await NewClaimAsync();

        var watched = new List<AuditEvent>();
        while (watched.Count < 6 && await watch.ResponseStream.MoveNext(cancel.Token))
        {
            var e = watch.ResponseStream.Current;
            watched.Add(e);
            // Every event streamed is in the latest tree, at its place, as streamed.
            var proof = await Audit.GetInclusionProofAsync(new GetInclusionProofRequest { Name = e.Name });
            var checkpoint = Client.Open(Encoding.UTF8.GetBytes(proof.Checkpoint.SignedNote));
            Assert.InRange(e.Sequence, 1, checkpoint.Checkpoint.Size);
            AuditLogClientChecks(checkpoint, e, proof);
        }
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], watched.Select(e => e.Sequence));

        var latest = await Audit.GetCheckpointAsync(new GetCheckpointRequest { Name = "auditLog/checkpoint" });
        var page = await Audit.ListAuditEventsAsync(new ListAuditEventsRequest { IncludeProofs = true, PageSize = 4 });
        var rest = await Audit.ListAuditEventsAsync(new ListAuditEventsRequest { IncludeProofs = true, PageSize = 4, PageToken = page.NextPageToken });
        Assert.Equal(6, latest.TreeSize);
        Assert.Equal(latest.SignedNote, page.Checkpoint.SignedNote);
        Assert.Equal(latest.SignedNote, rest.Checkpoint.SignedNote);
        Assert.Equal(watched, [.. page.Events, .. rest.Events]);
        Assert.Equal(page.Events.Select(e => e.Name), page.InclusionProofs.Select(p => p.AuditEvent));
        var signed = Client.Open(Encoding.UTF8.GetBytes(latest.SignedNote));
        foreach (var (e, proof) in page.Events.Zip(page.InclusionProofs).Concat(rest.Events.Zip(rest.InclusionProofs)))
        {
            Assert.Equal(6, proof.TreeSize);
            AuditLogClientChecks(signed, e, proof);
        }
        // Without proofs the list is as before: no checkpoint, no proofs.
        var plain = await Audit.ListAuditEventsAsync(new ListAuditEventsRequest());
        Assert.Null(plain.Checkpoint);
        Assert.Empty(plain.InclusionProofs);
        await LogVerifier.VerifyExtendsAsync(saved.Checkpoint, signed.Checkpoint, ConsistencyProofs(Audit), CancellationToken.None);
        Assert.Equal(0, saved.Checkpoint.Size);
        var verified = await Audit.VerifyAuditLogAsync(new VerifyAuditLogRequest());
        Assert.True(verified.Ok, verified.Problem);
        Assert.Equal(latest.TreeSize, verified.EventsChecked);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task TheKeyOutlivesARestartTheLogStillExtendsAndAServerWithAnotherKeyRefusesToStart()
    {
        await NewClaimAsync();
        var before = Client.Open(Encoding.UTF8.GetBytes((await Audit.GetCheckpointAsync(new GetCheckpointRequest { Name = "auditLog/checkpoint" })).SignedNote));
        var verifier = Client;
        await server.DisposeAsync();

        server = await StartAsync();
        await NewClaimAsync();
        var after = verifier.Open(Encoding.UTF8.GetBytes((await Audit.GetCheckpointAsync(new GetCheckpointRequest { Name = "auditLog/checkpoint" })).SignedNote));
        Assert.Equal(4, after.Checkpoint.Size);
        await LogVerifier.VerifyExtendsAsync(before.Checkpoint, after.Checkpoint, ConsistencyProofs(Audit), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync($"--Audit:SigningKeyPath={directory.File("other/audit-log.key")}"));
        Assert.Contains("Every server on one database must use the same key file", refused.Message);
        Assert.Contains(verifier.Origin, refused.Message);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task AClaimReadAsOfATimeAndItsRevisionsComeFromTheLogWithWhoWhyWhatChangedAndProofs()
    {
        var claim = await NewClaimAsync();
        var created = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        var edited = await server.Claims.UpdateClaimAsync(new UpdateClaimRequest
        {
            Claim = new Claim { Name = claim.Name, Context = "at a press conference in Ankara", AttributionConfidence = 0.5 },
            UpdateMask = new FieldMask { Paths = { "context", "attribution_confidence" } },
            Reason = "second source",
        });
        await server.Claims.DeleteClaimAsync(new DeleteClaimRequest { Name = claim.Name, Reason = "duplicate" });

        Assert.Equal(claim, await server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name, ReadTime = Timestamp.FromDateTimeOffset(created) }));
        Assert.Equal(edited, await server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name, ReadTime = edited.UpdateTime }));
        await RpcAssert.FailsWith(StatusCode.NotFound, () => server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => server.Claims.GetClaimAsync(
            new GetClaimRequest { Name = claim.Name, ReadTime = Timestamp.FromDateTimeOffset(claim.CreateTime.ToDateTimeOffset().AddSeconds(-1)) }).ResponseAsync);
        await RpcAssert.InvalidField("read_time", () => server.Claims.GetClaimAsync(
            new GetClaimRequest { Name = claim.Name, ReadTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(1)) }).ResponseAsync);
        var speaker = await server.Speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = claim.Speaker, ReadTime = Timestamp.FromDateTimeOffset(created) });
        Assert.Equal(claim.Speaker, speaker.Name);

        using var reader = TestChannels.Create(server.Address, ReaderKey);
        var revisions = await new ClaimService.ClaimServiceClient(reader).ListClaimRevisionsAsync(new ListClaimRevisionsRequest { Name = claim.Name });
        Assert.Equal(["claim.delete", "claim.update", "claim.create"], revisions.Revisions.Select(r => r.AuditEvent.Action));
        Assert.Equal(["duplicate", "second source", "seed"], revisions.Revisions.Select(r => r.AuditEvent.Reason));
        Assert.All(revisions.Revisions, r => Assert.Equal("test-admin", r.AuditEvent.Principal));
        Assert.Null(revisions.Revisions[0].Claim);
        Assert.Equal(edited, revisions.Revisions[1].Claim);
        Assert.Equal(claim, revisions.Revisions[2].Claim);
        // The claim was created without a context: unset, so empty rather than a JSON value.
        Assert.Equal("", claim.Context);
        Assert.Equal([("context", "", "\"at a press conference in Ankara\""), ("attribution_confidence", "0.9", "0.5")],
            revisions.Revisions[1].Changes.Select(c => (c.Field, c.BeforeJson, c.AfterJson)));
        Assert.Contains(revisions.Revisions[2].Changes, c => c is { Field: "text", BeforeJson: "" } && c.AfterJson == JsonString(claim.Text));
        Assert.DoesNotContain(revisions.Revisions.SelectMany(r => r.Changes), c => c.Field is "update_time" or "etag");
        var checkpoint = Client.Open(Encoding.UTF8.GetBytes(revisions.Checkpoint.SignedNote));
        foreach (var revision in revisions.Revisions)
        {
            Assert.Equal(revision.AuditEvent.Sequence.ToString(), revision.RevisionId);
            AuditLogClientChecks(checkpoint, revision.AuditEvent, revision.InclusionProof);
        }
        await RpcAssert.FailsWith(StatusCode.NotFound, () => server.Claims.ListClaimRevisionsAsync(new ListClaimRevisionsRequest { Name = "claims/none0000000000" }).ResponseAsync);

        using var http = new HttpClient { BaseAddress = new Uri(server.HttpAddress) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReaderKey);
        using var json = JsonDocument.Parse(await http.GetStringAsync($"/v1/{claim.Name}:listRevisions"));
        Assert.Equal(3, json.RootElement.GetProperty("revisions").GetArrayLength());
        using var asOf = JsonDocument.Parse(await http.GetStringAsync($"/v1/{claim.Name}?readTime={Uri.EscapeDataString(edited.UpdateTime.ToDateTimeOffset().ToString("O"))}"));
        Assert.Equal(0.5, asOf.RootElement.GetProperty("attributionConfidence").GetDouble());
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task AReadAtATimeIsNeverAnsweredFromTheCacheNorCachedAsTheCurrentAnswer()
    {
        await using var cluster = await CachedCluster.StartAsync(1);
        var cached = cluster.Servers[0];
        var speaker = await cached.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker("Hakan Fidan") });
        var original = await cached.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker.Name) });
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        var updated = await cached.Claims.UpdateClaimAsync(new UpdateClaimRequest
        {
            Claim = new Claim { Name = original.Name, Context = "corrected" },
            UpdateMask = new FieldMask { Paths = { "context" } },
        });
        // The current answer, cached now and served from the cache on the second read.
        Assert.Equal(updated, await cached.Claims.GetClaimAsync(new GetClaimRequest { Name = original.Name }));
        Assert.Equal(updated, await cached.Claims.GetClaimAsync(new GetClaimRequest { Name = original.Name }));
        var hits = CachedCluster.Statistics(cached).Hits;
        Assert.True(hits > 0, "the current claim was never served from the cache, so the bypass was not tested");

        Assert.Equal(original, await cached.Claims.GetClaimAsync(new GetClaimRequest { Name = original.Name, ReadTime = Timestamp.FromDateTimeOffset(before) }));
        Assert.Equal(updated, await cached.Claims.GetClaimAsync(new GetClaimRequest { Name = original.Name }));
        Assert.Equal(speaker, await cached.Speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = speaker.Name, ReadTime = Timestamp.FromDateTimeOffset(before) }));
        Assert.Equal(hits + 1, CachedCluster.Statistics(cached).Hits);
    }

    private async Task<Claim> NewClaimAsync()
    {
        var speaker = (await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker("Abbas Araqchi"), Reason = "seed" })).Name;
        return await server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker), Reason = "seed" });
    }

    /// <summary>What a client checks of an event it was served: its leaf, recomputed from the fields, in the checkpoint.</summary>
    private static void AuditLogClientChecks(SignedCheckpoint checkpoint, AuditEvent e, InclusionProof proof) =>
        LogVerifier.VerifyIncluded(checkpoint.Checkpoint, Leaf(e), Hashes(proof.Hashes));

    private static AuditLeaf Leaf(AuditEvent e) => new(e.Sequence, e.Id, e.Time.ToDateTimeOffset(), e.Principal, e.Action, e.Resource,
        e.BeforeJson, e.AfterJson, e.Reason, e.RequestId, e.PreviousHash.ToByteArray(), e.Hash.ToByteArray());

    private static List<Hash> Hashes(IEnumerable<ByteString> hashes) => hashes.Select(h => new Hash(h.Span)).ToList();

    private static ConsistencyProofSource ConsistencyProofs(AuditService.AuditServiceClient audit) => async (oldSize, newSize, ct) =>
        Hashes((await audit.GetConsistencyProofAsync(new GetConsistencyProofRequest { FirstTreeSize = oldSize, SecondTreeSize = newSize }, cancellationToken: ct)).Hashes);

    private static string JsonString(string value) => JsonSerializer.Serialize(value);

    private static async Task PreconditionFails(string field, Func<Task> call)
    {
        var e = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, call);
        Assert.Equal(field, Assert.Single(e.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations).Subject);
    }
}
