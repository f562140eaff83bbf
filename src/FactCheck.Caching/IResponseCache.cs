using Google.Protobuf;

namespace FactCheck.Caching;

/// <summary>What <see cref="CachedReads"/> stands on: cache-aside for answers stored as protobuf messages, filed
/// under dependency tags that writes invalidate.</summary>
internal interface IResponseCache
{
    /// <summary>Answers for all <paramref name="keys"/>, in order; <paramref name="loadMissing"/> is called once with the
    /// positions that were not cached and returns their answers in that order. Its errors propagate and are not cached.</summary>
    Task<IReadOnlyList<T>> GetOrLoadManyAsync<T>(IReadOnlyList<CacheKey> keys, MessageParser<T> parser,
        Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyList<T>>> loadMissing, CancellationToken cancellationToken)
        where T : IMessage<T>;

    /// <summary>One answer: the same as <see cref="GetOrLoadManyAsync{T}"/> with one key, cheaper.</summary>
    Task<T> GetOrLoadAsync<T>(CacheKey key, MessageParser<T> parser, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : IMessage<T>;

    /// <summary>Called after a committed write, before it is acknowledged. Never throws.</summary>
    Task InvalidateAsync(IReadOnlyCollection<string> tags);
}

/// <summary>No Redis configured: every read goes to the store.</summary>
internal sealed class UncachedResponses : IResponseCache
{
    public Task<IReadOnlyList<T>> GetOrLoadManyAsync<T>(IReadOnlyList<CacheKey> keys, MessageParser<T> parser,
        Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyList<T>>> loadMissing, CancellationToken cancellationToken)
        where T : IMessage<T> => loadMissing(Enumerable.Range(0, keys.Count).ToList(), cancellationToken);

    public Task<T> GetOrLoadAsync<T>(CacheKey key, MessageParser<T> parser, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : IMessage<T> => load(cancellationToken);

    public Task InvalidateAsync(IReadOnlyCollection<string> tags) => Task.CompletedTask;
}
