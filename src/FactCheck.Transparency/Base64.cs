namespace FactCheck.Transparency;

/// <summary>Standard base64 (RFC 4648 §4) decoded strictly, as the note and checkpoint formats need:
/// <see cref="Convert.FromBase64String"/> skips white space and tolerates unused bits, which would let two
/// different texts stand for the same key, hash or signature.</summary>
internal static class Base64
{
    public static bool TryDecodeStrict(string? text, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(text) || text.Length % 4 != 0) return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '/' or '=')) return false;
        }
        var decoded = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, decoded, out var written)) return false;
        bytes = decoded[..written];
        // Only the canonical encoding (padding only at the end, unused bits zero) round-trips.
        return Convert.ToBase64String(bytes) == text;
    }
}
