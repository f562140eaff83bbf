namespace FactCheck.Core.Speakers;

/// <summary>
/// Lookup keys for finding resolution candidates without scanning every speaker. A store indexes
/// <see cref="For"/> and looks up <see cref="ForQuery"/>; every speaker that
/// <see cref="SpeakerNameMatcher.Match"/> can score above zero shares at least one key with the query:
/// <list type="bullet">
/// <item>"t:" exact name token, "s:" its <see cref="NameNormalizer.Skeleton"/>, "p:" its first four
/// letters (the matcher only accepts a Jaro-Winkler match between tokens of four or more letters
/// that share those);</item>
/// <item>"r:" role title/organization token and its first four letters, the crude stem that lets
/// "iranian" meet "iran" and "turkish" meet "turkiye".</item>
/// </list>
/// </summary>
public static class SpeakerNameKeys
{
    public const int MaxKeyLength = 64;

    public static IReadOnlyCollection<string> For(Speaker speaker)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in speaker.Aliases.Prepend(speaker.DisplayName))
            foreach (var token in NameNormalizer.SignificantTokens(name))
                AddNameKeys(keys, token);
        foreach (var role in speaker.Roles)
            foreach (var token in RoleTokens(role))
                AddRoleKeys(keys, token);
        return keys;
    }

    public static IReadOnlyCollection<string> ForQuery(string query)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        // Every token may be a name part or a role word, so each gets both kinds of keys.
        foreach (var token in NameNormalizer.SignificantTokens(query))
        {
            AddNameKeys(keys, token);
            AddRoleKeys(keys, token);
        }
        return keys;
    }

    /// <summary>A role's title and organization tokens, as both the keys and the matcher see them.</summary>
    internal static IReadOnlyList<string> RoleTokens(Role role) =>
        NameNormalizer.SignificantTokens($"{role.Title} {role.Organization}");

    private static void AddNameKeys(HashSet<string> keys, string token)
    {
        Add(keys, "t:" + token);
        Add(keys, "s:" + NameNormalizer.Skeleton(token));
        if (token.Length >= 4) Add(keys, "p:" + NameNormalizer.Prefix4(token));
    }

    private static void AddRoleKeys(HashSet<string> keys, string token)
    {
        Add(keys, "r:" + token);
        Add(keys, "r:" + NameNormalizer.Prefix4(token));
    }

    // Truncation keeps equal tokens equal, so lookups still meet; it only makes very long tokens coarser.
    private static void Add(HashSet<string> keys, string key) =>
        keys.Add(key.Length <= MaxKeyLength ? key : key[..MaxKeyLength]);
}
