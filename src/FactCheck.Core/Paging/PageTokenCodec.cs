using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FactCheck.Core.Paging;

/// <summary>
/// Opaque page tokens (AIP-158): a cursor bound to the query it came from and signed with HMAC-SHA256, so a
/// client can neither forge a position nor reuse a token with other filters.
/// </summary>
public sealed class PageTokenCodec(byte[] key)
{
    private const int MacLength = 16;

    public string Encode(string queryFingerprint, ReadOnlySpan<byte> cursor)
    {
        var body = new byte[4 + cursor.Length];
        BinaryPrimitives.WriteInt32LittleEndian(body, cursor.Length);
        cursor.CopyTo(body.AsSpan(4));
        var mac = Mac(queryFingerprint, body);
        return Base64Url(body.Concat(mac).ToArray());
    }

    /// <summary>Returns the cursor bytes, or throws INVALID_ARGUMENT on <paramref name="field"/>.</summary>
    public byte[] Decode(string token, string queryFingerprint, string field = "page_token")
    {
        byte[] raw;
        try
        {
            raw = FromBase64Url(token);
        }
        catch (FormatException)
        {
            throw Invalid(field);
        }
        if (raw.Length < 4 + MacLength) throw Invalid(field);
        var body = raw.AsSpan(0, raw.Length - MacLength);
        var expected = Mac(queryFingerprint, body);
        if (!CryptographicOperations.FixedTimeEquals(expected, raw.AsSpan(raw.Length - MacLength))) throw Invalid(field);
        var length = BinaryPrimitives.ReadInt32LittleEndian(body);
        if (length != body.Length - 4) throw Invalid(field);
        return body[4..].ToArray();
    }

    private byte[] Mac(string queryFingerprint, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(queryFingerprint));
        hmac.AppendData([0]);
        hmac.AppendData(body);
        return hmac.GetHashAndReset()[..MacLength];
    }

    private static InvalidArgumentException Invalid(string field) =>
        new(field, "not a page token issued for this query; pass next_page_token unchanged, with the same other request fields");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        s += (s.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException() };
        return Convert.FromBase64String(s);
    }
}
