using System.Buffers.Binary;
using System.Text;

namespace FactCheck.Transparency.Notes;

/// <summary>One signature line of a note: the key's name and ID and the base64 of (key ID ‖ signature).</summary>
public sealed record NoteSignature(string Name, uint KeyId, string Base64);

/// <summary>
/// A C2SP signed note (c2sp.org/signed-note, Go's <c>golang.org/x/mod/sumdb/note</c>): UTF-8 text ending in a
/// newline, a blank line, then one or more lines "— &lt;key name&gt; &lt;base64(4-byte key ID ‖ signature)&gt;",
/// each ending in a newline. No control characters but newline anywhere (so no CR). The signature covers the text
/// with its final newline.
/// </summary>
public sealed class SignedNote
{
    /// <summary>More signatures than this make a note malformed (the spec asks to accept at least 16; Go stops at 100).</summary>
    public const int MaxSignatures = 100;

    private static readonly byte[] SignaturePrefix = Encoding.UTF8.GetBytes("— ");

    private SignedNote(string text, IReadOnlyList<NoteSignature> signatures, IReadOnlyList<NoteSignature> unverifiedSignatures)
    {
        Text = text;
        Signatures = signatures;
        UnverifiedSignatures = unverifiedSignatures;
    }

    /// <summary>The signed text, with its final newline.</summary>
    public string Text { get; }

    /// <summary>The signatures by known keys, all verified; never empty.</summary>
    public IReadOnlyList<NoteSignature> Signatures { get; }

    /// <summary>The signatures by keys not in the known list (a witness's cosignature, a rotated key), unchecked.</summary>
    public IReadOnlyList<NoteSignature> UnverifiedSignatures { get; }

    /// <summary>
    /// Parses <paramref name="message"/> and checks its signatures: those by keys in <paramref name="known"/> (same
    /// name and key ID) must verify; those by other keys are kept unverified, as the spec requires, even when they
    /// share a name or an ID with a known key. Repeated signatures by one key count once.
    /// </summary>
    /// <exception cref="NoteException">When the note is malformed, a known key's signature fails, no known key signed
    /// it, or two known keys cannot be told apart.</exception>
    public static SignedNote Open(ReadOnlySpan<byte> message, IReadOnlyCollection<NoteVerifier> known)
    {
        RequireNoteCharacters(message);
        var split = message.LastIndexOf("\n\n"u8);
        if (split < 0) throw Malformed("it has no blank line before its signatures");
        var text = message[..(split + 1)];
        var block = message[(split + 2)..];
        if (block.IsEmpty || block[^1] != (byte)'\n') throw Malformed("its signature lines must end with a newline");

        var verified = new List<NoteSignature>();
        var unverified = new List<NoteSignature>();
        var seenLines = new HashSet<string>(StringComparer.Ordinal);
        var lines = 0;
        while (!block.IsEmpty)
        {
            var end = block.IndexOf((byte)'\n');
            var line = block[..end];
            block = block[(end + 1)..];
            if (++lines > MaxSignatures) throw Malformed($"it has more than {MaxSignatures} signatures");
            var signature = ParseSignatureLine(line, out var signatureBytes);
            // Identical lines say nothing new.
            if (!seenLines.Add($"{signature.Name} {signature.Base64}")) continue;

            var verifiers = known.Where(v => v.Name == signature.Name && v.KeyId == signature.KeyId).Take(2).ToList();
            if (verifiers.Count == 0)
            {
                unverified.Add(signature);
                continue;
            }
            if (verifiers.Count > 1) throw new NoteException(NoteError.AmbiguousKey, $"two known keys are named {signature.Name} with key ID {signature.KeyId:x8}");
            if (verified.Any(s => s.Name == signature.Name && s.KeyId == signature.KeyId)) continue;
            if (!verifiers[0].Verify(text, signatureBytes))
            {
                throw new NoteException(NoteError.InvalidSignature, $"the signature by {signature.Name}+{signature.KeyId:x8} does not verify: the note was altered or forged");
            }
            verified.Add(signature);
        }

        if (verified.Count == 0)
        {
            var signers = string.Join(", ", unverified.Select(s => $"{s.Name}+{s.KeyId:x8}"));
            throw new NoteException(NoteError.NoKnownSignature, $"no known key signed the note (it is signed by {signers})");
        }
        return new SignedNote(Encoding.UTF8.GetString(text), verified, unverified);
    }

    /// <inheritdoc cref="Open(ReadOnlySpan{byte}, IReadOnlyCollection{NoteVerifier})"/>
    public static SignedNote Open(string message, IReadOnlyCollection<NoteVerifier> known)
    {
        byte[] bytes;
        try
        {
            bytes = NoteKeys.StrictUtf8.GetBytes(message);
        }
        catch (EncoderFallbackException)
        {
            throw Malformed("it is not valid Unicode");
        }
        return Open(bytes, known);
    }

    /// <summary>Signs <paramref name="text"/> (ending in a newline, no control characters but newlines) with each of
    /// <paramref name="signers"/> and returns the signed note.</summary>
    public static string Sign(string text, params IReadOnlyList<NoteSigner> signers)
    {
        ArgumentOutOfRangeException.ThrowIfZero(signers.Count, nameof(signers));
        if (!text.EndsWith('\n')) throw new ArgumentException("a note's text ends with a newline", nameof(text));
        byte[] bytes;
        try
        {
            bytes = NoteKeys.StrictUtf8.GetBytes(text);
            RequireNoteCharacters(bytes);
        }
        catch (Exception e) when (e is EncoderFallbackException or NoteException)
        {
            throw new ArgumentException("a note's text is valid Unicode without control characters other than newlines", nameof(text));
        }

        var note = new StringBuilder(text).Append('\n');
        foreach (var signer in signers)
        {
            var signature = signer.Sign(bytes);
            var withKeyId = new byte[4 + signature.Length];
            BinaryPrimitives.WriteUInt32BigEndian(withKeyId, signer.KeyId);
            signature.CopyTo(withKeyId, 4);
            note.Append("— ").Append(signer.Name).Append(' ').Append(Convert.ToBase64String(withKeyId)).Append('\n');
        }
        return note.ToString();
    }

    /// <summary>Valid UTF-8, and no ASCII control character other than newline.</summary>
    private static void RequireNoteCharacters(ReadOnlySpan<byte> message)
    {
        while (!message.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf8(message, out var rune, out var length) != System.Buffers.OperationStatus.Done)
            {
                throw Malformed("it is not valid UTF-8");
            }
            if (rune.Value < 0x20 && rune.Value != '\n') throw Malformed($"it holds the control character U+{rune.Value:X4}");
            message = message[length..];
        }
    }

    private static NoteSignature ParseSignatureLine(ReadOnlySpan<byte> line, out byte[] signature)
    {
        if (!line.StartsWith(SignaturePrefix)) throw Malformed("a signature line does not start with an em dash and a space");
        var rest = Encoding.UTF8.GetString(line[SignaturePrefix.Length..]);
        var space = rest.IndexOf(' ');
        var (name, base64) = space < 0 ? (rest, "") : (rest[..space], rest[(space + 1)..]);
        if (!NoteKeys.IsValidName(name)) throw Malformed($"a signature line has an invalid key name '{name}'");
        // Four bytes of key ID and at least one of signature.
        if (!Base64.TryDecodeStrict(base64, out var bytes) || bytes.Length < 5) throw Malformed($"the signature by {name} is not base64 of a key ID and a signature");
        signature = bytes[4..];
        return new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(bytes), base64);
    }

    private static NoteException Malformed(string reason) => new(NoteError.Malformed, $"malformed signed note: {reason}");
}
