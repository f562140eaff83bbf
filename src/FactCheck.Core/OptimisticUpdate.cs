namespace FactCheck.Core;

/// <summary>
/// Read-modify-write guarded by the stored version. With a client etag a lost race is the client's to resolve
/// (ABORTED, AIP-154); without one the change is re-applied to the fresh row, so a field-masked update never
/// overwrites fields it did not name.
/// </summary>
internal static class OptimisticUpdate
{
    private const int Attempts = 10;

    public static async Task<T> RunAsync<T>(
        string resourceName,
        string? etag,
        Func<Task<T?>> load,
        Func<T, long> versionOf,
        Func<T, T> apply,
        Func<T, long, Task<T>> save) where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await load() ?? throw new NotFoundException(resourceName);
            if (!Etags.Matches(etag, versionOf(current))) throw new EtagMismatchException(resourceName);
            var updated = apply(current);
            try
            {
                return await save(updated, versionOf(current));
            }
            catch (VersionConflictException) when (string.IsNullOrEmpty(etag) && attempt < Attempts)
            {
                // Someone else won; re-read and re-apply, after a jittered pause so hot rows don't livelock.
                await Task.Delay(Random.Shared.Next(attempt * 2 + 1));
            }
            catch (VersionConflictException)
            {
                throw new EtagMismatchException(resourceName);
            }
        }
    }
}
