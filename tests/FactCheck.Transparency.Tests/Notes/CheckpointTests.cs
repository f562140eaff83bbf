using System.Text;
using CsCheck;
using FactCheck.Transparency.Merkle;
using FactCheck.Transparency.Notes;
using FactCheck.Transparency.Verification;
using Hash = FactCheck.Transparency.Merkle.Hash;

namespace FactCheck.Transparency.Tests.Notes;

public sealed class CheckpointTests
{
    /// <summary>sum.golang.org/latest on 2024-09-23, as kept in transparency-dev's tests; the key is Go's own
    /// (cmd/go/internal/modfetch/key.go). Signed by Google, not by anything of ours.</summary>
    private const string GoSumDbCheckpoint = "go.sum database tree\n30055305\nmXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM=\n\n— sum.golang.org Az3grpgEild5qw7+5dtV13Kf1C2Xurm8q4fhdxvcsDHnqNTaxL2AFjBY+2TyGKevucFcAAlWFJJYle3EJlDCrQ+y3A8=\n";
    private const string GoSumDbKey = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";

    /// <summary>A Rekor checkpoint (from sigstore-js's tests): an origin with spaces, a Timestamp extension line and an
    /// ECDSA signature, which Ed25519 verifiers must pass over as an unknown key.</summary>
    private const string RekorCheckpoint = "rekor.sigstore.dev - 2605736670972794746\n21428036\nrxnoKyFZlJ7/R6bMh/d3lcqwKqAy5CL1LcNBJP17kgQ=\nTimestamp: 1688058656037355364\n\n— rekor.sigstore.dev wNI9ajBFAiEAuDk7uu5Ae8Own/MjhSZNuVzbLuYH2jBMxbSA0WaNDNACIDV4reKpYiOpkwtvazCClnpUuduF2o/th2xR3gRZAUU4\n";

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_real_Go_checksum_database_checkpoint_verifies_with_Go_s_key()
    {
        await Task.Yield();
        var verifier = new LogVerifier(NoteVerifier.Parse(GoSumDbKey), origin: "go.sum database tree");
        var opened = verifier.Open(Encoding.UTF8.GetBytes(GoSumDbCheckpoint));
        Assert.Equal(30055305, opened.Checkpoint.Size);
        Assert.Equal("mXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM=", opened.Checkpoint.RootHash.ToString());
        // Formatting what was parsed gives back the signed text exactly.
        Assert.Equal(GoSumDbCheckpoint[..(GoSumDbCheckpoint.IndexOf("\n\n", StringComparison.Ordinal) + 1)], opened.Checkpoint.ToNoteText());
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_Rekor_checkpoint_parses_with_its_extension_and_its_ECDSA_signature_counts_as_unknown()
    {
        await Task.Yield();
        var error = Assert.Throws<NoteException>(() => SignedNote.Open(RekorCheckpoint, [NoteVerifier.Parse(GoSumDbKey)]));
        Assert.Equal(NoteError.NoKnownSignature, error.Error);
        var checkpoint = Checkpoint.Parse(RekorCheckpoint[..(RekorCheckpoint.IndexOf("\n\n", StringComparison.Ordinal) + 1)]);
        Assert.Equal("rekor.sigstore.dev - 2605736670972794746", checkpoint.Origin);
        Assert.Equal(21428036, checkpoint.Size);
        Assert.Equal(["Timestamp: 1688058656037355364"], checkpoint.Extensions);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Formatting_matches_Go_tlog_FormatTree()
    {
        await Task.Yield();
        // Go's TestFormatTree golden: the tree of 123456789012 records whose hash is RecordHash("hello world").
        var checkpoint = new Checkpoint("go.sum database tree", 123456789012, MerkleTree.LeafHash("hello world"u8));
        Assert.Equal("go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n", checkpoint.ToNoteText());
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task The_C2SP_example_checkpoint_parses()
    {
        await Task.Yield();
        var checkpoint = Checkpoint.Parse("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
        Assert.Equal(("example.com/behind-the-sofa", 20852163L), (checkpoint.Origin, checkpoint.Size));
        Assert.Empty(checkpoint.Extensions);
    }

    public static TheoryData<string, string> MalformedCheckpoints => new()
    {
        { "no final newline", "log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=" },
        { "no root hash", "log\n1\n" },
        { "an empty origin", "\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n" },
        { "a leading zero", "log\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n" },
        { "a sign", "log\n+1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n" },
        { "a negative size", "log\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n" },
        { "a space", "log\n1 \nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n" },
        { "a size beyond 64 bits", "log\n9223372036854775808\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n" },
        { "a short hash", "log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2=\n" },
        { "a hash not base64", "log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n" },
        { "an empty extension line", "log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\nx\n" },
    };

    [Theory(Timeout = TestTimeouts.Unit)]
    [MemberData(nameof(MalformedCheckpoints))]
    public async Task Malformed_checkpoints_are_refused(string what, string text)
    {
        await Task.Yield();
        Assert.True(Throws(() => Checkpoint.Parse(text)), what);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task The_empty_tree_is_size_zero()
    {
        await Task.Yield();
        var empty = Checkpoint.Parse($"log\n0\n{MerkleTree.EmptyRoot}\n");
        Assert.Equal(0, empty.Size);
        Assert.Equal($"log\n0\n{MerkleTree.EmptyRoot}\n", empty.ToNoteText());
    }

    [Fact(Timeout = Timeouts.Property)]
    public async Task Any_single_bit_changed_in_a_signed_checkpoint_fails_its_verification()
    {
        using var signer = NoteSigner.Generate("factcheck.example/audit");
        var verifier = new LogVerifier(signer.Verifier);
        var checkpoints = Gen.Long[0, long.MaxValue].Select(Gen.Byte.Array[Hash.Size], (size, root) => new Checkpoint(signer.Name, size, new Hash(root)));
        await checkpoints.SampleAsync(async checkpoint =>
        {
            await Task.Yield();
            var note = Encoding.UTF8.GetBytes(SignedNote.Sign(checkpoint.ToNoteText(), signer));
            Assert.Equal(checkpoint.Size, verifier.Open(note).Checkpoint.Size);
            for (var bit = 0; bit < 8 * note.Length; bit++)
            {
                note[bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.Throws<LogVerificationException>(() => verifier.Open(note));
                note[bit / 8] ^= (byte)(1 << (bit % 8));
            }
        }, iter: 20);
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return true;
        }
    }
}
