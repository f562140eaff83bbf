using System.Globalization;

namespace FactCheck.Bench;

/// <summary>Plain <c>--name value</c> / <c>--flag</c> parsing; unknown options are an error so typos don't go unnoticed.</summary>
public sealed class Args
{
    private readonly Dictionary<string, string?> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    public Args(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (!a.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unexpected argument '{a}'");
            var eq = a.IndexOf('=');
            if (eq > 0) { values[a[2..eq]] = a[(eq + 1)..]; continue; }
            var name = a[2..];
            if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal)) values[name] = list[++i];
            else values[name] = null;
        }
    }

    public string? String(string name, string? fallback = null)
    {
        used.Add(name);
        return values.TryGetValue(name, out var v) ? v ?? throw new UsageException($"--{name} needs a value") : fallback;
    }

    public string Required(string name) => String(name) ?? throw new UsageException($"--{name} is required");

    public int Int(string name, int fallback)
    {
        var s = String(name);
        if (s is null) return fallback;
        return int.TryParse(s.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v : throw new UsageException($"--{name}: '{s}' is not a non-negative integer");
    }

    public bool Flag(string name)
    {
        used.Add(name);
        return values.ContainsKey(name);
    }

    public TimeSpan Duration(string name, TimeSpan fallback)
    {
        var s = String(name);
        if (s is null) return fallback;
        return ParseDuration(s) ?? throw new UsageException($"--{name}: '{s}' is not a duration (10s, 500ms, 2m)");
    }

    public static TimeSpan? ParseDuration(string s)
    {
        static double? Num(string t) => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : null;
        if (s.EndsWith("ms", StringComparison.Ordinal)) return Num(s[..^2]) is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
        if (s.EndsWith('s')) return Num(s[..^1]) is { } sec ? TimeSpan.FromSeconds(sec) : null;
        if (s.EndsWith('m')) return Num(s[..^1]) is { } min ? TimeSpan.FromMinutes(min) : null;
        return Num(s) is { } bare ? TimeSpan.FromSeconds(bare) : null;
    }

    /// <summary>Call after reading every option: anything given but never read is a typo.</summary>
    public void EnsureAllUsed()
    {
        var unknown = values.Keys.Where(k => !used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException("unknown option(s): " + string.Join(", ", unknown.Select(k => "--" + k)));
    }
}

public sealed class UsageException(string message) : Exception(message);
