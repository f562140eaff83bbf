using System.Text;
using FactCheck.Transparency.Notes;
using static FactCheck.Transparency.Tests.Notes.GoNoteVectors;

namespace FactCheck.Transparency.Tests.Notes;

public sealed class SignedNoteTests
{
    private static readonly NoteVerifier Peter = NoteVerifier.Parse(PeterVerifierKey);
    private static readonly NoteVerifier Enoch = NoteVerifier.Parse(EnochVerifierKey);

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Signing_reproduces_Go_byte_for_byte()
    {
        await Task.Yield();
        using var signer = NoteSigner.Parse(PeterSignerKey);
        Assert.Equal(Text + "\n" + PeterSignature, SignedNote.Sign(Text, signer));
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Signatures_by_unknown_keys_are_kept_unverified()
    {
        await Task.Yield();
        var note = SignedNote.Open(Text + "\n" + PeterSignature + EnochSignature, [Peter]);
        Assert.Equal(Text, note.Text);
        Assert.Equal([new NoteSignature("PeterNeumann", 0xc74f20a3, PeterSignature[15..^1])], note.Signatures);
        Assert.Equal([new NoteSignature("EnochRoot", 0xaf0cfe78, EnochSignature[12..^1])], note.UnverifiedSignatures);

        var both = SignedNote.Open(Text + "\n" + PeterSignature + EnochSignature, [Peter, Enoch]);
        Assert.Equal(["PeterNeumann", "EnochRoot"], both.Signatures.Select(s => s.Name));
        Assert.Empty(both.UnverifiedSignatures);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_note_no_known_key_signed_is_refused()
    {
        await Task.Yield();
        var error = Assert.Throws<NoteException>(() => SignedNote.Open(Text + "\n" + PeterSignature + EnochSignature, []));
        Assert.Equal(NoteError.NoKnownSignature, error.Error);
        Assert.Contains("PeterNeumann+c74f20a3", error.Message);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Known_keys_that_cannot_be_told_apart_are_an_error_only_when_they_signed()
    {
        await Task.Yield();
        Assert.Equal(NoteError.AmbiguousKey, Assert.Throws<NoteException>(() => SignedNote.Open(Text + "\n" + EnochSignature, [Enoch, Peter, Enoch])).Error);
        Assert.Single(SignedNote.Open(Text + "\n" + PeterSignature, [Enoch, Peter, Enoch]).Signatures);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_signature_by_a_known_key_that_does_not_verify_rejects_the_note()
    {
        await Task.Yield();
        var altered = Text + "\n" + PeterSignature[..60] + "ABCD" + PeterSignature[60..];
        Assert.Equal(NoteError.InvalidSignature, Assert.Throws<NoteException>(() => SignedNote.Open(altered, [Peter])).Error);
        var otherText = Text.Replace("problem", "question") + "\n" + PeterSignature;
        Assert.Equal(NoteError.InvalidSignature, Assert.Throws<NoteException>(() => SignedNote.Open(otherText, [Peter, Enoch])).Error);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Repeated_signatures_count_once()
    {
        await Task.Yield();
        var enochAltered = EnochSignature[..60] + "ABCD" + EnochSignature[60..];
        var note = SignedNote.Open(Text + "\n" + PeterSignature + PeterSignature + EnochSignature + EnochSignature + enochAltered, [Peter]);
        Assert.Single(note.Signatures);
        Assert.Equal(2, note.UnverifiedSignatures.Count);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task More_than_a_hundred_signatures_make_a_note_malformed()
    {
        await Task.Yield();
        var many = Text + "\n" + string.Concat(Enumerable.Repeat(PeterSignature, 101));
        Assert.Equal(NoteError.Malformed, Assert.Throws<NoteException>(() => SignedNote.Open(many, [Peter])).Error);
        Assert.Equal(NoteError.Malformed, Assert.Throws<NoteException>(() => SignedNote.Open(many, [])).Error);
    }

    public static TheoryData<string, string> MalformedNotes => new()
    {
        { "no signatures", Text },
        { "no signature lines", Text + "\n" },
        { "no final newline", Text + "\n" + PeterSignature[..^1] },
        { "a control character", "\x01" + Text + "\n" + PeterSignature },
        { "CR LF line endings", Text.Replace("\n", "\r\n") + "\r\n" + PeterSignature.Replace("\n", "\r\n") },
        { "a space in the key name", Text + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n" },
        { "a line after the signatures", Text + "\n" + PeterSignature + "Unexpected line.\n" },
        { "a hyphen for the em dash", Text + "\n" + PeterSignature.Replace("—", "-") },
        { "a signature too short", Text + "\n" + "— PeterNeumann x08gow==\n" },
        { "a signature not base64", Text + "\n" + PeterSignature.Replace("x08go/", "x08go ") },
        { "a plus in the key name", Text + "\n" + PeterSignature.Replace("PeterNeumann", "Peter+Neumann") },
    };

    [Theory(Timeout = TestTimeouts.Unit)]
    [MemberData(nameof(MalformedNotes))]
    public async Task Malformed_notes_are_refused(string what, string message)
    {
        await Task.Yield();
        var error = Assert.Throws<NoteException>(() => SignedNote.Open(message, [Peter]));
        Assert.True(error.Error == NoteError.Malformed, what);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Bytes_that_are_not_UTF8_are_refused()
    {
        await Task.Yield();
        byte[] message = [0xff, .. Encoding.UTF8.GetBytes(Text + "\n" + PeterSignature)];
        Assert.Equal(NoteError.Malformed, Assert.Throws<NoteException>(() => SignedNote.Open(message, [Peter])).Error);
        Assert.Equal(NoteError.Malformed, Assert.Throws<NoteException>(() => SignedNote.Open("\ud800" + Text + "\n" + PeterSignature, [Peter])).Error);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task The_text_may_hold_blank_lines_the_last_one_separates_the_signatures()
    {
        await Task.Yield();
        using var signer = NoteSigner.Parse(PeterSignerKey);
        const string poem = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n";
        Assert.Equal(poem, SignedNote.Open(SignedNote.Sign(poem, signer), [Peter]).Text);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Signatures_by_other_keys_sharing_the_name_or_the_key_ID_are_ignored()
    {
        await Task.Yield();
        using var impostor = NoteSigner.Generate("PeterNeumann");
        var message = SignedNote.Sign(Text, impostor) + PeterSignature;
        var note = SignedNote.Open(message, [Peter]);
        Assert.Single(note.Signatures);
        Assert.Equal(impostor.KeyId, Assert.Single(note.UnverifiedSignatures).KeyId);

        var sameId = PeterSignature.Replace("PeterNeumann", "PeterNeumann2");
        Assert.Equal(NoteError.NoKnownSignature, Assert.Throws<NoteException>(() => SignedNote.Open(Text + "\n" + sameId, [Peter])).Error);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task The_C2SP_example_note_verifies()
    {
        await Task.Yield();
        var verifier = NoteVerifier.Parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
        var note = SignedNote.Open(
            "This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n",
            [verifier]);
        Assert.Equal("This is an example message.\n", note.Text);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Only_texts_that_make_a_note_can_be_signed()
    {
        await Task.Yield();
        using var signer = NoteSigner.Parse(PeterSignerKey);
        Assert.Throws<ArgumentException>(() => SignedNote.Sign("abc", signer));
        Assert.Throws<ArgumentException>(() => SignedNote.Sign("a\tb\n", signer));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedNote.Sign(Text));
    }
}
