using FactCheck.Server.Hosting;
using FactCheck.Storage.Relational;
using FactCheck.V1;
using Microsoft.Extensions.DependencyInjection;
using static FactCheck.IntegrationTests.CliProcess;

namespace FactCheck.IntegrationTests;

/// <summary>
/// The CLI as an outside client holding a checkpoint it saved: each kind of tampering with the database behind the
/// server's back (the server restarted afterwards, so that nothing it remembers hides it) makes <c>audit verify
/// --checkpoint</c> exit 1 saying which kind it is, and the witness too when the signed tree itself changed.
/// </summary>
public sealed class AuditCliTamperingTests : IAsyncLifetime
{
    private const int Timeout = 180_000;

    private readonly TempDirectory directory = new();
    private TestServer server = null!;

    private string DatabasePath => directory.File("audit.db");
    private string KeyFile => directory.File("pinned.key");
    private string SavedCheckpoint => directory.File("saved.note");
    private string WitnessDirectory => directory.File("witness");

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync(DatabasePath);
        // The pinned key, as an operator hands it out: the verifier key the server printed, in a file.
        await File.WriteAllTextAsync(KeyFile, server.Services.GetRequiredService<AuditSigningKey>().Signer.Verifier.VerifierKey);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        directory.Dispose();
    }

    public static TheoryData<string, string, bool> Tampering => new()
    {
        // kind, what verify must say, whether the witness (checkpoints only) sees it too
        { "edit a column", "rewrite:", false },
        { "delete the tail", "truncation:", true },
        { "delete an event in the middle", "rewrite: event #2 is missing", false },
        { "edit an event and re-hash everything after it", "rewrite", true },
        { "fork", "fork", true },
    };

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Tampering))]
    public async Task AuditVerifyWithASavedCheckpointExits1AndSaysWhichKindOfTampering(string kind, string expected, bool witnessSeesIt)
    {
        var speaker = await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker("Hakan Fidan") });
        for (var i = 0; i < 3; i++) await server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker.Name) });

        AssertExit(0, await Cli("audit", "checkpoint", "--save", SavedCheckpoint));
        AssertExit(0, await Cli("audit", "witness", "--once", "--dir", WitnessDirectory));
        var intact = await Cli("audit", "verify", "--checkpoint", SavedCheckpoint);
        AssertExit(0, intact);
        Assert.Contains("ok: all 4 events listed are in the signed log", intact.Output);
        // A fork shows two histories of the same size; every other case goes on writing after the checkpoint was saved.
        if (kind != "fork") await server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker.Name) });

        var database = server.Services.GetRequiredService<RelationalDatabase>();
        await (kind switch
        {
            "edit a column" => AuditTampering.EditColumnAsync(database, 2, "principal"),
            "delete the tail" => AuditTampering.TruncateAsync(database, 3),
            "delete an event in the middle" => AuditTampering.DeleteEventAsync(database, 2),
            "edit an event and re-hash everything after it" or "fork" => AuditTampering.RewritePrincipalAsync(database, 2, "nobody"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        });
        await server.DisposeAsync();
        server = await TestServer.StartAsync(DatabasePath);

        var caught = await Cli("audit", "verify", "--checkpoint", SavedCheckpoint);
        AssertExit(1, caught);
        Assert.Contains(expected, caught.Error);
        var witnessed = await Cli("audit", "witness", "--once", "--dir", WitnessDirectory);
        AssertExit(witnessSeesIt ? 1 : 0, witnessed);
        if (witnessSeesIt) Assert.Single(Directory.GetFiles(WitnessDirectory, "rejected-*.note"));
    }

    [Fact(Timeout = Timeout)]
    public async Task TheChecksThatTrustNoServerRefuseToRunWithoutAPinnedKey()
    {
        var unpinned = await CliProcess.RunAsync(server.Address, "audit", "verify", "--checkpoint", SavedCheckpoint);
        AssertExit(2, unpinned);
        Assert.Contains("--log-key", unpinned.Error);
        // A key other than the log's: the server's checkpoint is refused.
        var otherKey = FactCheck.Transparency.Notes.NoteSigner.Generate(AuditLogKey.DefaultOrigin).Verifier.VerifierKey;
        var wrong = await CliProcess.RunAsync(server.Address, "audit", "checkpoint", "--save", SavedCheckpoint, "--log-key", otherKey);
        AssertExit(1, wrong);
        Assert.Contains("bad signature", wrong.Error);
        Assert.False(File.Exists(SavedCheckpoint));
    }

    private Task<CliProcess.Result> Cli(params string[] args) => CliProcess.RunAsync(server.Address, [.. args, "--log-key", KeyFile]);
}
