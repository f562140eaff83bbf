using System.Text;
using FactCheck.Transparency.Notes;

namespace FactCheck.Transparency.Tests.Notes;

public sealed class NoteKeyTests
{
    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_Go_verifier_key_parses_to_its_name_and_key_ID_and_prints_back_the_same()
    {
        await Task.Yield();
        var verifier = NoteVerifier.Parse(GoNoteVectors.PeterVerifierKey);
        Assert.Equal("PeterNeumann", verifier.Name);
        Assert.Equal(0xc74f20a3u, verifier.KeyId);
        Assert.Equal(GoNoteVectors.PeterVerifierKey, verifier.VerifierKey);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Every_part_of_a_verifier_key_and_every_one_character_change_is_refused()
    {
        await Task.Yield();
        foreach (var mangled in Manglings(GoNoteVectors.PeterVerifierKey))
        {
            Assert.Throws<FormatException>(() => NoteVerifier.Parse(mangled));
        }
        // A key of the wrong length and an unknown algorithm, each with a key ID recomputed to match.
        Assert.Throws<FormatException>(() => NoteVerifier.Parse("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="));
        Assert.Throws<FormatException>(() => NoteVerifier.Parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Verifier_keys_follow_the_spec_strictly()
    {
        await Task.Yield();
        Assert.Throws<FormatException>(() => NoteVerifier.Parse("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")); // hex is lower case
        Assert.Throws<FormatException>(() => NoteVerifier.Parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n")); // base64 without white space
        Assert.Throws<FormatException>(() => NoteVerifier.Parse("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")); // no spaces in names
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_Go_signer_key_parses_and_its_public_half_is_the_Go_verifier_key()
    {
        await Task.Yield();
        using var signer = NoteSigner.Parse(GoNoteVectors.PeterSignerKey);
        Assert.Equal(GoNoteVectors.PeterVerifierKey, signer.Verifier.VerifierKey);
        Assert.Equal(GoNoteVectors.PeterSignerKey, signer.ExportSignerKey());
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Every_part_of_a_signer_key_and_every_one_character_change_is_refused()
    {
        await Task.Yield();
        foreach (var mangled in Manglings(GoNoteVectors.PeterSignerKey))
        {
            Assert.Throws<FormatException>(() => NoteSigner.Parse(mangled).Dispose());
        }
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_generated_key_round_trips_through_its_texts_and_signs_what_its_verifier_accepts()
    {
        await Task.Yield();
        using var generated = NoteSigner.Generate("factcheck.example/audit");
        using var reloaded = NoteSigner.Parse(generated.ExportSignerKey());
        var verifier = NoteVerifier.Parse(generated.Verifier.VerifierKey);
        Assert.Equal(generated.Verifier.VerifierKey, reloaded.Verifier.VerifierKey);
        Assert.StartsWith("factcheck.example/audit+", verifier.VerifierKey);

        var note = SignedNote.Open(SignedNote.Sign("hi\n", reloaded), [verifier]);
        Assert.Equal("hi\n", note.Text);
        Assert.DoesNotContain("PRIVATE", generated.ToString());
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Key_IDs_are_the_first_four_bytes_of_SHA256_of_name_newline_type_and_key()
    {
        await Task.Yield();
        // The C2SP signed-note example key, checked against the spec's formula written out here.
        var verifier = NoteVerifier.Parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
        var typedKey = Convert.FromBase64String("AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
        var digest = System.Security.Cryptography.SHA256.HashData([.. Encoding.UTF8.GetBytes("example.com/foo\n"), .. typedKey]);
        Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(digest), verifier.KeyId);
        Assert.Equal(0x530d903au, verifier.KeyId);
    }

    /// <summary>As Go's TestNewVerifier and TestNewSigner: every proper substring of a key, and the key with each
    /// character incremented in turn.</summary>
    private static IEnumerable<string> Manglings(string key)
    {
        for (var start = 0; start <= key.Length; start++)
        {
            for (var end = start + 1; end <= key.Length; end++)
            {
                if (start != 0 || end != key.Length) yield return key[start..end];
            }
        }
        for (var i = 0; i < key.Length; i++)
        {
            var changed = key.ToCharArray();
            changed[i]++;
            yield return new string(changed);
        }
    }
}
