using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FactCheck.Transparency.Notes;

/// <summary>What note keys share: names, key IDs and the Ed25519 signature type (C2SP signed-note).</summary>
internal static class NoteKeys
{
    /// <summary>The signature type byte of Ed25519 keys and signatures.</summary>
    public const byte Ed25519Type = 0x01;

    public const int Ed25519KeySize = 32;

    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Non-empty, valid Unicode, no spaces of any kind, no plus, no control characters (which no note may
    /// hold).</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name)) return false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '+' || c < 0x20 || char.IsWhiteSpace(c)) return false;
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1])) i++;
            else if (char.IsSurrogate(c)) return false;
        }
        return true;
    }

    /// <summary>The first four bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ type ‖ public key).</summary>
    public static uint KeyId(string name, ReadOnlySpan<byte> typedPublicKey)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(name + "\n"));
        sha.AppendData(typedPublicKey);
        Span<byte> digest = stackalloc byte[32];
        sha.GetHashAndReset(digest);
        return BinaryPrimitives.ReadUInt32BigEndian(digest);
    }

    /// <summary>Splits "name+hex(key ID)+base64(type ‖ key)" (the tail of both key encodings), checking each part's
    /// syntax and that the key material is an Ed25519 key; the caller checks the key ID against the public key.</summary>
    public static (string Name, uint KeyId, byte[] Key) ParseTail(string encoded, string what)
    {
        var parts = encoded.Split('+', 3);
        if (parts.Length != 3) throw new FormatException($"{what} is not of the form <name>+<key id>+<key>");
        var (name, id, material) = (parts[0], parts[1], parts[2]);
        if (!IsValidName(name)) throw new FormatException($"{what} has an invalid name: it must be non-empty, without spaces or '+'");
        if (id.Length != 8 || !id.All(char.IsAsciiHexDigitLower)) throw new FormatException($"{what} has an invalid key ID: it must be 8 lower-case hex digits");
        if (!Base64.TryDecodeStrict(material, out var typed)) throw new FormatException($"{what} has an invalid key: it is not base64");
        if (typed[0] != Ed25519Type) throw new FormatException($"{what} is of key type {typed[0]}, not Ed25519 ({Ed25519Type})");
        if (typed.Length != 1 + Ed25519KeySize) throw new FormatException($"{what} holds a key of {typed.Length - 1} bytes, not {Ed25519KeySize}");
        return (name, uint.Parse(id, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture), typed[1..]);
    }

    /// <summary>"name+hex(key ID)+base64(0x01 ‖ key)".</summary>
    public static string FormatTail(string name, uint keyId, ReadOnlySpan<byte> key)
    {
        var typed = new byte[1 + key.Length];
        typed[0] = Ed25519Type;
        key.CopyTo(typed.AsSpan(1));
        try
        {
            return $"{name}+{keyId:x8}+{Convert.ToBase64String(typed)}";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(typed);
        }
    }

    public static byte[] Typed(ReadOnlySpan<byte> publicKey) => [Ed25519Type, .. publicKey];
}
