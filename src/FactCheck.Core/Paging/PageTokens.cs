namespace FactCheck.Core.Paging;

/// <summary>Page-token signing keyed by the store's installation secret, loaded on first use.</summary>
public sealed class PageTokens(IInstallationStore store)
{
    // Not a Lazy<Task>: a failed first load (database briefly down) must not be cached forever.
    // Two concurrent first loads read the same secret, so the race is harmless.
    private PageTokenCodec? codec;

    public async Task<string> EncodeAsync(string queryFingerprint, byte[] cursor, CancellationToken cancellationToken) =>
        (await CodecAsync(cancellationToken)).Encode(queryFingerprint, cursor);

    /// <summary>A token whose cursor is a store sequence number.</summary>
    public Task<string> EncodeSequenceAsync(string queryFingerprint, long sequence, CancellationToken cancellationToken)
    {
        var cursor = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(cursor, sequence);
        return EncodeAsync(queryFingerprint, cursor, cancellationToken);
    }

    /// <summary>The sequence number in a token from <see cref="EncodeSequenceAsync"/>; 0 (from the start) for no token.</summary>
    public async Task<long> DecodeSequenceAsync(string? token, string queryFingerprint, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(token)
            ? 0
            : System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(await DecodeAsync(token, queryFingerprint, 8, cancellationToken));

    /// <summary>Decodes a cursor of exactly <paramref name="length"/> bytes, or throws INVALID_ARGUMENT on page_token.</summary>
    public async Task<byte[]> DecodeAsync(string token, string queryFingerprint, int length, CancellationToken cancellationToken)
    {
        var cursor = (await CodecAsync(cancellationToken)).Decode(token, queryFingerprint);
        if (cursor.Length != length) throw new InvalidArgumentException("page_token", "not a page token issued for this query");
        return cursor;
    }

    private async Task<PageTokenCodec> CodecAsync(CancellationToken cancellationToken) =>
        codec ??= new PageTokenCodec(await store.GetInstallationSecretAsync(cancellationToken));
}
