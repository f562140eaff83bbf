using System.Security.Cryptography;
using NSec.Cryptography;

namespace FactCheck.Transparency.Notes;

/// <summary>
/// A private Ed25519 key that signs notes under a name. Its text form, the signer key, is Go's
/// <c>PRIVATE+KEY+&lt;name&gt;+&lt;hex key ID&gt;+&lt;base64(0x01 ‖ 32-byte seed)&gt;</c>: anyone holding it can sign
/// as the log, so it is kept secret (<see cref="SigningKeyFile"/>).
/// </summary>
public sealed class NoteSigner : IDisposable
{
    private const string Prefix = "PRIVATE+KEY+";

    private readonly Key key;

    private NoteSigner(string name, Key key)
    {
        this.key = key;
        Verifier = NoteVerifier.FromEd25519(name, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public string Name => Verifier.Name;

    public uint KeyId => Verifier.KeyId;

    /// <summary>The public half, whose <see cref="NoteVerifier.VerifierKey"/> clients pin.</summary>
    public NoteVerifier Verifier { get; }

    /// <summary>A new random key named <paramref name="name"/> (the log's origin, e.g. <c>factcheck.example/audit</c>).</summary>
    public static NoteSigner Generate(string name) => FromSeed(name, RandomNumberGenerator.GetBytes(NoteKeys.Ed25519KeySize));

    /// <exception cref="FormatException">When <paramref name="signerKey"/> is not a well-formed Ed25519 signer key
    /// whose key ID matches its name and public key.</exception>
    public static NoteSigner Parse(string signerKey)
    {
        if (!signerKey.StartsWith(Prefix, StringComparison.Ordinal)) throw new FormatException($"a signer key starts with {Prefix}");
        var (name, keyId, seed) = NoteKeys.ParseTail(signerKey[Prefix.Length..], "the signer key");
        var signer = FromSeed(name, seed);
        if (signer.KeyId != keyId)
        {
            signer.Dispose();
            throw new FormatException("the signer key's key ID does not match its name and key");
        }
        return signer;
    }

    /// <summary>The signer key text. Secret: write it only where <see cref="SigningKeyFile"/> does.</summary>
    public string ExportSignerKey()
    {
        var seed = key.Export(KeyBlobFormat.RawPrivateKey);
        try
        {
            return Prefix + NoteKeys.FormatTail(Name, KeyId, seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    internal byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(key, message);

    public void Dispose() => key.Dispose();

    public override string ToString() => $"signer {Verifier.VerifierKey}";

    private static NoteSigner FromSeed(string name, byte[] seed)
    {
        try
        {
            if (!NoteKeys.IsValidName(name)) throw new ArgumentException("a key name is non-empty, without spaces or '+'", nameof(name));
            var imported = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey,
                new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
            return new NoteSigner(name, imported);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }
}
