namespace FactCheck.Core.Speakers;

internal static class StringSimilarity
{
    /// <summary>Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4 characters).</summary>
    public static double JaroWinkler(string a, string b)
    {
        var jaro = Jaro(a, b);
        var prefix = 0;
        while (prefix < Math.Min(4, Math.Min(a.Length, b.Length)) && a[prefix] == b[prefix]) prefix++;
        return jaro + prefix * 0.1 * (1 - jaro);
    }

    private static double Jaro(string a, string b)
    {
        if (a.Length == 0 && b.Length == 0) return 1;
        if (a.Length == 0 || b.Length == 0) return 0;

        var window = Math.Max(0, Math.Max(a.Length, b.Length) / 2 - 1);
        var aMatched = new bool[a.Length];
        var bMatched = new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var end = Math.Min(b.Length - 1, i + window);
            for (var j = Math.Max(0, i - window); j <= end; j++)
            {
                if (bMatched[j] || a[i] != b[j]) continue;
                aMatched[i] = bMatched[j] = true;
                matches++;
                break;
            }
        }
        if (matches == 0) return 0;

        // Half the number of matched characters that appear in a different order.
        var outOfOrder = 0;
        for (int i = 0, j = 0; i < a.Length; i++)
        {
            if (!aMatched[i]) continue;
            while (!bMatched[j]) j++;
            if (a[i] != b[j]) outOfOrder++;
            j++;
        }
        double m = matches;
        return (m / a.Length + m / b.Length + (m - outOfOrder / 2.0) / m) / 3;
    }
}
