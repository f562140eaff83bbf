using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace FactCheck.Transparency.Merkle;

/// <summary>A SHA-256 value: a leaf, an interior node or a tree root. Compared by value; printed as base64, as in
/// checkpoints and Go's tlog.</summary>
public readonly struct Hash : IEquatable<Hash>
{
    public const int Size = 32;

    private readonly Bytes bytes;

    [InlineArray(Size)]
    private struct Bytes
    {
        private byte first;
    }

    /// <exception cref="ArgumentException">When <paramref name="value"/> is not <see cref="Size"/> bytes long.</exception>
    public Hash(ReadOnlySpan<byte> value)
    {
        if (value.Length != Size) throw new ArgumentException($"a hash is {Size} bytes, not {value.Length}", nameof(value));
        value.CopyTo(bytes);
    }

    /// <summary>SHA-256 of <paramref name="data"/>; the tree's own hashing is <see cref="MerkleTree"/>.</summary>
    public static Hash Sha256(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Size];
        SHA256.HashData(data, digest);
        return new Hash(digest);
    }

    public void CopyTo(Span<byte> destination) => ((ReadOnlySpan<byte>)bytes).CopyTo(destination);

    public byte[] ToArray() => ((ReadOnlySpan<byte>)bytes).ToArray();

    /// <summary>Parses the standard base64 form (44 characters, padded), rejecting anything else.</summary>
    public static bool TryParse(string? base64, out Hash hash)
    {
        hash = default;
        if (!Base64.TryDecodeStrict(base64, out var decoded) || decoded.Length != Size) return false;
        hash = new Hash(decoded);
        return true;
    }

    /// <exception cref="FormatException">When <paramref name="base64"/> is not a base64 SHA-256 value.</exception>
    public static Hash Parse(string base64) =>
        TryParse(base64, out var hash) ? hash : throw new FormatException($"'{base64}' is not a base64 SHA-256 hash");

    public bool Equals(Hash other) => ((ReadOnlySpan<byte>)bytes).SequenceEqual(other.bytes);

    public override bool Equals(object? obj) => obj is Hash other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(bytes);

    public static bool operator ==(Hash left, Hash right) => left.Equals(right);

    public static bool operator !=(Hash left, Hash right) => !left.Equals(right);

    public override string ToString() => Convert.ToBase64String(bytes);
}
