using Google.Protobuf;

namespace FactCheck.Caching;

/// <summary>Cache-aside for read RPCs' answers, stored as protobuf messages.</summary>
public interface IResponseCache
{
    /// <summary>The cached answer for <paramref name="key"/>, or <paramref name="load"/>'s, which is then cached.
    /// Errors from <paramref name="load"/> propagate and are not cached.</summary>
    Task<T> GetOrLoadAsync<T>(CacheKey key, MessageParser<T> parser, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : IMessage<T>;

    /// <summary>Answers for all <paramref name="keys"/>, in order; <paramref name="loadMissing"/> is called once with the
    /// positions that were not cached and returns their answers in that order.</summary>
    Task<IReadOnlyList<T>> GetOrLoadManyAsync<T>(IReadOnlyList<CacheKey> keys, MessageParser<T> parser,
        Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyList<T>>> loadMissing, CancellationToken cancellationToken)
        where T : IMessage<T>;
}

/// <summary>No Redis configured: every read goes to the store.</summary>
public sealed class UncachedResponses : IResponseCache
{
    public Task<T> GetOrLoadAsync<T>(CacheKey key, MessageParser<T> parser, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : IMessage<T> => load(cancellationToken);

    public Task<IReadOnlyList<T>> GetOrLoadManyAsync<T>(IReadOnlyList<CacheKey> keys, MessageParser<T> parser,
        Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyList<T>>> loadMissing, CancellationToken cancellationToken)
        where T : IMessage<T> => loadMissing(Enumerable.Range(0, keys.Count).ToList(), cancellationToken);
}
