using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Microsoft.Extensions.Caching.Memory;

namespace FactCheck.Caching;

/// <summary>
/// The in-process layer in front of Redis: parsed answers, bounded by the bytes they hold rather than by their
/// number (a first page of 50 claims costs as much as 50 claims). An entry is served only while
/// <see cref="LocalCoherence"/> says it is still valid, and everything is dropped when it flushes.
/// </summary>
internal sealed class LocalResponseCache : IDisposable
{
    /// <summary>What one entry costs besides its message, measured with <c>GC.GetTotalMemory</c> over 50,000 entries
    /// (.NET 10): the MemoryCache entry and its index slot, the entry record and its capture, 329 bytes; rounded up.
    /// The key and tag strings are counted by their length.</summary>
    internal const long EntryOverheadBytes = 336;

    /// <summary>A parsed message holds its strings as UTF-16 behind object headers: measured 3.25 heap bytes per
    /// serialized byte for claims and for first pages of 50 claims (synthetic bench claims, .NET 10).</summary>
    internal const double HeapBytesPerSerializedByte = 3.25;

    private readonly MemoryCache entries;
    private readonly LocalCoherence coherence;

    private sealed record Entry(object Message, string Tag, LocalCoherence.Capture Filled);

    public LocalResponseCache(long maxBytes, LocalCoherence coherence)
    {
        entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = maxBytes });
        this.coherence = coherence;
        coherence.Flushed += entries.Clear;
    }

    public bool TryGet<T>(CacheKey key, [MaybeNullWhen(false)] out T answer)
    {
        if (entries.TryGetValue(key.Key, out Entry? entry) && entry is not null && entry.Tag == key.Tag
            && coherence.IsValid(entry.Filled, entry.Tag))
        {
            answer = (T)entry.Message;
            return true;
        }
        answer = default;
        return false;
    }

    /// <summary>Files <paramref name="answer"/> as loaded after <paramref name="filled"/> was taken. Past the byte
    /// bound MemoryCache refuses the entry and compacts in the background (least recently used first).</summary>
    public void Set<T>(CacheKey key, T answer, LocalCoherence.Capture filled, TimeSpan ttl) where T : IMessage<T> =>
        entries.Set(key.Key, new Entry(answer, key.Tag, filled), new MemoryCacheEntryOptions
        {
            Size = CostOf(key, answer),
            AbsoluteExpirationRelativeToNow = ttl,
        });

    /// <summary>The bytes an entry holds on the heap, estimated from its serialized size.</summary>
    internal static long CostOf(CacheKey key, IMessage answer) =>
        EntryOverheadBytes + StringBytes(key.Key) + StringBytes(key.Tag) + (long)(HeapBytesPerSerializedByte * answer.CalculateSize());

    private static long StringBytes(string value) => 22 + 2L * value.Length;

    /// <summary>Entries now held (for tests and diagnostics).</summary>
    public int Count => entries.Count;

    public void Dispose() => entries.Dispose();
}
