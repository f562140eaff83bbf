namespace FactCheck.Core.Speakers;

// Numeric values match factcheck.v1.MatchKind so mapping is a cast.
public enum NameMatchKind { ExactName = 1, PartialName = 2, FuzzyName = 3, Role = 4 }

/// <param name="Score">In (0, 1]; 1 only for an exact name or alias.</param>
/// <param name="Matched">The display name, alias or role ("Foreign Minister, Iran") that matched best.</param>
public sealed record SpeakerMatch(double Score, string Matched, NameMatchKind Kind);

/// <summary>Scores how well free text ("Iranian Foreign Minister Abbas Araqchi", "Araghchi") names a speaker.</summary>
public static class SpeakerNameMatcher
{
    /// <summary>Below this a match is noise and <see cref="Match"/> returns null.</summary>
    public const double MinScore = 0.2;

    // Name score = precision (how much of the query is this name) weighted over recall (how much of the
    // name the query covers), plus a bonus for the surname, because articles refer back to people by
    // surname alone: "Araqchi" of "Abbas Araqchi" ≈ 0.88, a first name alone ≈ 0.73.
    private const double PrecisionWeight = 0.6;
    private const double RecallWeight = 0.25;
    private const double SurnameWeight = 0.15;
    private const double MaxInexactScore = 0.95; // 1 is reserved for an exact name (proto contract)

    private const double SkeletonScore = 0.9;
    private const double MinJaroWinkler = 0.88;
    private const double JaroWinklerFactor = 0.85;

    // A role is weaker evidence than a name: several people hold "foreign minister" at once.
    private const double MaxRoleScore = 0.7;
    private const double RoleQueryCoverageWeight = 0.8; // the rest rewards covering the role's title

    /// <summary>Best match of the query against the speaker's display name, aliases and roles; null when nothing matches (score would be below <see cref="MinScore"/>).</summary>
    public static SpeakerMatch? Match(string query, Speaker speaker, DateOnly? asOf)
    {
        var all = NameNormalizer.SignificantTokens(query);
        if (all.Count == 0) return null;

        // Names are compared without the titles around them, and also as written in case a "title" is part
        // of the name ("Martin Luther King").
        var untitled = all.Where(t => !NameNormalizer.IsTitleWord(t)).ToList();
        IReadOnlyList<string>[] variants = untitled.Count > 0 && untitled.Count < all.Count ? [untitled, all] : [all];

        SpeakerMatch? best = null;
        foreach (var name in speaker.Aliases.Prepend(speaker.DisplayName))
        {
            var nameTokens = NameNormalizer.SignificantTokens(name);
            if (nameTokens.Count == 0) continue;
            foreach (var variant in variants)
                best = Better(best, MatchName(variant, name, nameTokens));
        }
        // Roles see the title words: they are what a role query consists of.
        foreach (var role in speaker.Roles)
            if (!NamesSomeoneElse(all, role, speaker))
                best = Better(best, MatchRole(all, role, asOf));

        return best is { Score: >= MinScore } ? best : null;
    }

    private static SpeakerMatch? MatchName(IReadOnlyList<string> query, string name, IReadOnlyList<string> nameTokens)
    {
        if (query.SequenceEqual(nameTokens)) return new(1, name, NameMatchKind.ExactName);

        // Greedy one-to-one alignment, strongest token pairs first, so "Abbas Abbas" cannot claim both names.
        var pairs =
            from q in Enumerable.Range(0, query.Count)
            from n in Enumerable.Range(0, nameTokens.Count)
            let score = TokenScore(query[q], nameTokens[n])
            where score > 0
            orderby score descending
            select (q, n, score);
        var queryUsed = new bool[query.Count];
        var nameUsed = new bool[nameTokens.Count];
        double matched = 0, surname = 0;
        var fuzzy = false;
        foreach (var (q, n, score) in pairs)
        {
            if (queryUsed[q] || nameUsed[n]) continue;
            queryUsed[q] = nameUsed[n] = true;
            matched += score;
            fuzzy |= score < 1;
            if (n == nameTokens.Count - 1) surname = score;
        }
        if (matched == 0) return null;

        var total = PrecisionWeight * matched / query.Count + RecallWeight * matched / nameTokens.Count + SurnameWeight * surname;
        return new(Math.Min(total, MaxInexactScore), name, fuzzy ? NameMatchKind.FuzzyName : NameMatchKind.PartialName);
    }

    private static double TokenScore(string query, string name)
    {
        if (query == name) return 1;
        // One-letter skeletons ("a" for "ai" and "ia") would collide with far too much.
        var skeleton = NameNormalizer.Skeleton(query);
        if (skeleton.Length >= 2 && skeleton == NameNormalizer.Skeleton(name)) return SkeletonScore;
        // Typos only between longer tokens that share their first four letters: short tokens are all "similar",
        // and the shared prefix is what lets a store find the candidate by its "p:" key.
        if (query.Length >= 4 && name.Length >= 4 && query.AsSpan(0, 4).SequenceEqual(name.AsSpan(0, 4)))
        {
            var jw = StringSimilarity.JaroWinkler(query, name);
            if (jw >= MinJaroWinkler) return JaroWinklerFactor * jw;
        }
        return 0;
    }

    /// <summary>
    /// The roles whose whole title the text names ("Iran's foreign minister" names Foreign Minister), so a caller can
    /// check that the speaker held them when the words were said.
    /// </summary>
    public static IReadOnlyList<Role> RolesNamed(string text, Speaker speaker)
    {
        var tokens = NameNormalizer.SignificantTokens(text);
        return [.. speaker.Roles.Where(role =>
        {
            var title = NameNormalizer.SignificantTokens(role.Title);
            return title.Count > 0 && title.All(t => tokens.Any(q => RoleTokensMeet(q, t)));
        })];
    }

    /// <summary>
    /// True when the query names a person who is not this speaker: besides title words and the role's own words it
    /// has words that match none of the speaker's names. "President Bashar Al Assad" must not become Hadi Al Bahra,
    /// President of the Syrian National Coalition, through the title they share.
    /// </summary>
    private static bool NamesSomeoneElse(IReadOnlyList<string> query, Role role, Speaker speaker)
    {
        var roleTokens = SpeakerNameKeys.RoleTokens(role);
        var nameWords = query.Where(q => !NameNormalizer.IsTitleWord(q) && !roleTokens.Any(r => RoleTokensMeet(q, r))).ToList();
        if (nameWords.Count == 0) return false;
        var names = speaker.Aliases.Prepend(speaker.DisplayName).SelectMany(NameNormalizer.SignificantTokens).ToList();
        return !nameWords.Any(q => names.Any(n => TokenScore(q, n) > 0));
    }

    private static SpeakerMatch? MatchRole(IReadOnlyList<string> query, Role role, DateOnly? asOf)
    {
        var roleTokens = SpeakerNameKeys.RoleTokens(role);
        double covered = query.Count(q => roleTokens.Any(r => RoleTokensMeet(q, r)));
        if (covered == 0) return null;

        // Covering the title breaks ties between roles sharing a word: "Syrian president" fits
        // {President, Syria} better than {President of the Syrian National Coalition, Syrian opposition}.
        var titleTokens = NameNormalizer.SignificantTokens(role.Title);
        double titleCovered = titleTokens.Count(t => query.Any(q => RoleTokensMeet(q, t)));
        var titleCoverage = titleTokens.Count == 0 ? 0 : titleCovered / titleTokens.Count;

        var score = MaxRoleScore * (RoleQueryCoverageWeight * covered / query.Count + (1 - RoleQueryCoverageWeight) * titleCoverage);
        if (asOf is { } day && !role.HeldOn(day)) score /= 2;
        var matched = string.IsNullOrWhiteSpace(role.Organization) ? role.Title : $"{role.Title}, {role.Organization}";
        return new(score, matched, NameMatchKind.Role);
    }

    // Equal, or the same crude stem ("iranian"/"iran"); mirrors the "r:" keys of SpeakerNameKeys.
    private static bool RoleTokensMeet(string query, string role) =>
        query == role || (query.Length >= 4 && role.Length >= 4 && NameNormalizer.Prefix4(query) == NameNormalizer.Prefix4(role));

    // Ties keep the earlier candidate: the display name before aliases, names before roles.
    private static SpeakerMatch? Better(SpeakerMatch? current, SpeakerMatch? candidate) =>
        candidate is not null && (current is null || candidate.Score > current.Score) ? candidate : current;
}
