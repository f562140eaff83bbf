using NSec.Cryptography;

namespace FactCheck.Transparency.Notes;

/// <summary>
/// A public key that checks note signatures: an Ed25519 key with its name and key ID. Its text form, the verifier
/// key, is Go's and C2SP's <c>&lt;name&gt;+&lt;hex key ID&gt;+&lt;base64(0x01 ‖ public key)&gt;</c>, e.g.
/// <c>sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8</c>.
/// </summary>
public sealed class NoteVerifier
{
    private readonly PublicKey publicKey;

    private NoteVerifier(string name, uint keyId, PublicKey publicKey)
    {
        Name = name;
        KeyId = keyId;
        this.publicKey = publicKey;
    }

    public string Name { get; }

    /// <summary>The first four bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), which signature lines carry.</summary>
    public uint KeyId { get; }

    /// <summary>The verifier key text, to print, pin and pass to <see cref="Parse"/>.</summary>
    public string VerifierKey => NoteKeys.FormatTail(Name, KeyId, publicKey.Export(KeyBlobFormat.RawPublicKey));

    /// <exception cref="FormatException">When <paramref name="verifierKey"/> is not a well-formed Ed25519 verifier key
    /// whose key ID matches its name and key.</exception>
    public static NoteVerifier Parse(string verifierKey)
    {
        var (name, keyId, key) = NoteKeys.ParseTail(verifierKey, "the verifier key");
        if (keyId != NoteKeys.KeyId(name, NoteKeys.Typed(key)))
        {
            throw new FormatException("the verifier key's key ID does not match its name and key");
        }
        return FromEd25519(name, key);
    }

    /// <summary>The verifier for <paramref name="publicKey"/> (32 bytes) under <paramref name="name"/>.</summary>
    public static NoteVerifier FromEd25519(string name, ReadOnlySpan<byte> publicKey)
    {
        if (!NoteKeys.IsValidName(name)) throw new ArgumentException("a key name is non-empty, without spaces or '+'", nameof(name));
        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var imported) || imported is null)
        {
            throw new FormatException("not an Ed25519 public key");
        }
        return new NoteVerifier(name, NoteKeys.KeyId(name, NoteKeys.Typed(publicKey)), imported);
    }

    internal bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        SignatureAlgorithm.Ed25519.Verify(publicKey, message, signature);

    public override string ToString() => VerifierKey;
}
