using StackExchange.Redis;

namespace FactCheck.Caching;

/// <summary>
/// Key layout, all under <c>factcheck:v1:</c> (bump the version when cached messages change incompatibly):
/// <list type="bullet">
/// <item><c>epoch</c>: bumped to orphan every entry at once (after Redis was unreachable for a write).</item>
/// <item><c>seq</c> and channel <c>invalidations</c>: numbered invalidation messages for in-process layers.</item>
/// <item><c>e{epoch}:gen:{tag}</c>: generation of a dependency tag, bumped by every write affecting it.</item>
/// <item><c>e{epoch}:val:{key}:g{gen}</c>: an answer, valid for the generation in its name.</item>
/// </list>
/// Scripts build key names from the epoch they read, so this layout needs a single Redis (not Cluster).
/// </summary>
internal static class RedisScripts
{
    public const string Prefix = "factcheck:v1:";
    public const string SequenceKey = Prefix + "seq";
    public const string Channel = Prefix + "invalidations";

    /// <summary>ARGV: prefix, then (tag, key) pairs. Returns epoch, then (generation, value or nil) per pair.</summary>
    public const string Read = """
        local e = redis.call('GET', ARGV[1] .. 'epoch') or '0'
        local base = ARGV[1] .. 'e' .. e .. ':'
        local out = { e }
        for i = 2, #ARGV, 2 do
          local g = redis.call('GET', base .. 'gen:' .. ARGV[i]) or '0'
          out[#out + 1] = g
          out[#out + 1] = redis.call('GET', base .. 'val:' .. ARGV[i + 1] .. ':g' .. g)
        end
        return out
        """;

    /// <summary>ARGV: prefix, generation TTL in ms, tags. Bumps each tag's generation and announces the tags.</summary>
    public const string Invalidate = """
        local e = redis.call('GET', ARGV[1] .. 'epoch') or '0'
        local base = ARGV[1] .. 'e' .. e .. ':gen:'
        local tags = {}
        for i = 3, #ARGV do
          redis.call('INCR', base .. ARGV[i])
          redis.call('PEXPIRE', base .. ARGV[i], ARGV[2])
          tags[#tags + 1] = ARGV[i]
        end
        local s = redis.call('INCR', ARGV[1] .. 'seq')
        redis.call('PUBLISH', ARGV[1] .. 'invalidations', s .. '\n' .. table.concat(tags, '\n'))
        return s
        """;

    /// <summary>ARGV: prefix. Orphans every cached answer and tells in-process layers to flush.</summary>
    public const string NewEpoch = """
        redis.call('INCR', ARGV[1] .. 'epoch')
        local s = redis.call('INCR', ARGV[1] .. 'seq')
        redis.call('PUBLISH', ARGV[1] .. 'invalidations', s .. '\n*')
        return s
        """;

    public static string ValueKey(string epoch, string key, string generation) => $"{Prefix}e{epoch}:val:{key}:g{generation}";

    /// <summary>Runs <see cref="Invalidate"/>: bumps the tags' generations (kept for <paramref name="generationTtlMs"/>).</summary>
    public static Task InvalidateAsync(IDatabase database, IEnumerable<string> tags, string generationTtlMs, TimeSpan timeout)
    {
        RedisValue[] args = [Prefix, generationTtlMs, .. tags.Select(tag => (RedisValue)tag)];
        return database.ScriptEvaluateAsync(Invalidate, values: args).WaitAsync(timeout);
    }

    /// <summary>Runs <see cref="NewEpoch"/>: orphans every cached answer at once.</summary>
    public static Task NewEpochAsync(IDatabase database, TimeSpan timeout) =>
        database.ScriptEvaluateAsync(NewEpoch, values: [Prefix]).WaitAsync(timeout);
}
