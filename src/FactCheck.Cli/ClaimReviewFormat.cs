using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Verdict = FactCheck.V1.Review.Types.Verdict;

namespace FactCheck.Cli;

/// <summary>
/// schema.org <c>ClaimReview</c> in JSON-LD, with what Google's fact-check structured data requires (claimReviewed,
/// reviewRating with its alternateName, url) and recommends (author, itemReviewed: a Claim with its author,
/// datePublished, appearance and firstAppearance); the Claim's creditText carries our attributed_to ("two Iraqi
/// security sources"). Written from a claim and its current review; read back as the requests that recreate them.
/// </summary>
internal static class ClaimReviewFormat
{
    /// <summary>reviewRating.ratingValue, from 1 (worst) to 5 (best): how well the claim holds as attributed.
    /// Misattributed and false claims don't hold at all; a misquote distorts real words; out of context the words
    /// are right but mislead, and unverifiable is no judgement either way, so both sit in the middle.</summary>
    public static readonly IReadOnlyDictionary<Verdict, int> Ratings = new Dictionary<Verdict, int>
    {
        [Verdict.Accurate] = 5,
        [Verdict.OutOfContext] = 3,
        [Verdict.Unverifiable] = 3,
        [Verdict.Misquoted] = 2,
        [Verdict.Misattributed] = 1,
        [Verdict.False] = 1,
    };

    public const int BestRating = 5, WorstRating = 1;

    /// <summary>Other fact-checkers' ratings that mean one of our verdicts. A verdict's own label or word
    /// ("Out of context", "out-of-context") is read as that verdict too.</summary>
    private static readonly Dictionary<string, Verdict> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["True"] = Verdict.Accurate,
        ["Correct"] = Verdict.Accurate,
        ["Incorrect"] = Verdict.False,
        ["Fake"] = Verdict.False,
        ["Missing context"] = Verdict.OutOfContext,
        ["Misleading"] = Verdict.OutOfContext,
        ["Unproven"] = Verdict.Unverifiable,
    };

    private const string Context = "https://schema.org";

    /// <param name="speaker">The claim's speaker; null when it has none (an unnamed source), and then the Claim has
    /// no author.</param>
    /// <param name="site">Base URL of the fact-check pages; null to point at the claim's first appearance instead.</param>
    public static JsonObject Write(Claim claim, Review review, Speaker? speaker, Uri? site, string publisher)
    {
        var first = claim.Appearances.FirstOrDefault(a => a.FirstAppearance) ?? claim.Appearances.FirstOrDefault();
        return Node(
            ("@context", Context),
            ("@type", "ClaimReview"),
            ("url", ReviewUrl(review, first, site)),
            ("claimReviewed", claim.Text),
            ("datePublished", review.CreateTime is null ? null : Output.Iso(review.CreateTime)[..10]),
            ("author", Node(("@type", "Organization"), ("name", publisher))),
            ("reviewRating", Node(
                ("@type", "Rating"),
                ("ratingValue", Ratings.GetValueOrDefault(review.Verdict, 3)),
                ("bestRating", BestRating),
                ("worstRating", WorstRating),
                ("alternateName", ProtoEnums.Label(review.Verdict)),
                ("ratingExplanation", review.Explanation))),
            ("itemReviewed", Node(
                ("@type", "Claim"),
                ("author", speaker is null ? null
                    : Node(("@type", speaker.Kind == SpeakerKind.Person ? "Person" : "Organization"), ("name", speaker.DisplayName))),
                ("creditText", claim.AttributedTo),
                ("inLanguage", claim.LanguageCode),
                ("datePublished", claim.SaidOn is null ? null : Output.Format(claim.SaidOn)),
                ("appearance", new JsonArray([.. claim.Appearances.Select(CreativeWork)])),
                ("firstAppearance", first is null ? null : CreativeWork(first)))));
    }

    /// <summary>Where the review can be read: <paramref name="site"/> joined with the review's resource name, else
    /// the claim's first appearance with the review's id as its fragment.</summary>
    private static string ReviewUrl(Review review, Appearance? first, Uri? site) =>
        site is not null ? new Uri(site, review.Name).ToString()
        : $"{first?.Url.Split('#')[0]}#factcheck-{review.Name[(review.Name.LastIndexOf('/') + 1)..]}";

    private static JsonObject CreativeWork(Appearance appearance) => Node(
        ("@type", "CreativeWork"),
        ("url", appearance.Url),
        ("headline", appearance.Title),
        ("datePublished", appearance.PublishTime is null ? null : Output.Iso(appearance.PublishTime)),
        ("publisher", Node(("@type", "Organization"), ("name", appearance.Publication))));

    /// <summary>A JSON object of the properties whose values are present (not null, not "").</summary>
    private static JsonObject Node(params (string Name, object? Value)[] properties) =>
        new(properties.Where(p => p.Value is not (null or "")).Select(p => KeyValuePair.Create(p.Name, p.Value switch
        {
            JsonNode node => node,
            string text => JsonValue.Create(text),
            int number => (JsonNode?)JsonValue.Create(number),
            var other => throw new ArgumentException($"unexpected {other!.GetType()}"),
        })));

    /// <summary>The ClaimReviews of a feed, or null when <paramref name="text"/> isn't one: a JSON array (of
    /// ClaimReviews), a single ClaimReview object, or JSON Lines whose first line is a ClaimReview.</summary>
    public static IReadOnlyList<FeedEntry>? ReadFeed(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray().Select((e, i) => new FeedEntry($"item {i + 1}", e.Clone()))]
                : IsClaimReview(root) ? [new FeedEntry("item 1", root.Clone())]
                : null;
        }
        catch (JsonException)
        {
            var lines = text.Split('\n').Select((line, i) => (Line: line.Trim(), Position: $"line {i + 1}")).Where(l => l.Line != "").ToList();
            var entries = lines.Select(l => ReadLine(l.Line, l.Position)).ToList();
            return entries.Count > 1 && entries[0].Element is { } first && IsClaimReview(first) ? entries : null;
        }
    }

    private static FeedEntry ReadLine(string line, string position)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return new FeedEntry(position, document.RootElement.Clone());
        }
        catch (JsonException ex)
        {
            return new FeedEntry(position, null, $"not JSON: {ex.Message}");
        }
    }

    private static bool IsClaimReview(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && (Text(e, "@type") == "ClaimReview" || e.TryGetProperty("claimReviewed", out _));

    /// <summary>Reads one ClaimReview. The claim's speaker is left for the caller to resolve from
    /// <see cref="ImportedClaimReview.Author"/>.</summary>
    /// <exception cref="SeedException">It isn't a ClaimReview this can import.</exception>
    public static ImportedClaimReview Read(FeedEntry entry, FeedDefaults defaults)
    {
        if (entry.Element is not { ValueKind: JsonValueKind.Object } e) throw new SeedException(entry.Error ?? "not a JSON object");
        if (Text(e, "@type") is { } type && type != "ClaimReview") throw new SeedException($"its @type is {type}, not ClaimReview");
        var url = Text(e, "url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new SeedException("url must be the http(s) URL of the fact check (it identifies the ClaimReview on a re-import)");
        var text = Text(e, "claimReviewed") ?? throw new SeedException("claimReviewed is missing");
        var item = First(e, "itemReviewed");
        var author = First(item, "author");
        var authorName = Name(author);

        var appearances = Many(item, "firstAppearance").Concat(Many(item, "appearance"))
            .Select(a => ToAppearance(a)).Where(a => a.Url != "").DistinctBy(a => a.Url, StringComparer.OrdinalIgnoreCase).ToList();
        // Without one the claim can't be recorded; the fact check itself at least reports it.
        if (appearances.Count == 0) appearances.Add(ToAppearance(e, Name(First(e, "author"))));

        var rating = First(e, "reviewRating");
        var word = Text(rating, "alternateName");
        var verdict = Verdict.Unverifiable;
        var known = word is not null && (Synonyms.TryGetValue(word, out verdict) || ProtoEnums.TryParseWord(word, out verdict));
        var note = known ? null : $"rating \"{word ?? "(none)"}\" is not a FactCheck verdict; recorded as unverifiable";
        var explanation = string.Join(" ", new[]
        {
            $"From ClaimReview {url}, rated \"{word ?? "(none)"}\"" + (known ? "." : " (not a FactCheck verdict: recorded as unverifiable)."),
            Text(rating, "ratingExplanation"),
        }.Where(part => part is not null));

        var claim = new Claim
        {
            AttributedTo = Text(item, "creditText") ?? (authorName is null ? "an unnamed source" : ""),
            Text = text,
            AttributionKind = authorName is null ? AttributionKind.UnnamedSource : defaults.Kind,
            SaidOn = Date(Text(item, "datePublished")) is { } saidOn ? SeedValues.Date(DateOnly.FromDateTime(saidOn.DateTime)) : null,
            Appearances = { appearances },
            LanguageCode = Text(item, "inLanguage") ?? Text(e, "inLanguage") ?? defaults.Language,
            AttributionConfidence = defaults.Confidence,
        };
        return new ImportedClaimReview(
            url!, claim,
            authorName is null ? null : new ClaimAuthor(authorName, Text(author, "@type") == "Person" ? SpeakerKind.Person : SpeakerKind.Organization),
            new Review
            {
                Verdict = known ? verdict : Verdict.Unverifiable,
                Explanation = explanation.Length <= 5000 ? explanation : explanation[..4999] + "…",
                EvidenceUrls = { url },
            },
            note);
    }

    /// <param name="publication">For a work that names no publisher.</param>
    private static Appearance ToAppearance(JsonElement work, string? publication = null)
    {
        var url = work.ValueKind == JsonValueKind.String ? work.GetString()! : Text(work, "url") ?? "";
        return new Appearance
        {
            Url = url,
            Publication = Name(First(work, "publisher")) ?? publication ?? (Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : ""),
            Title = Text(work, "headline") ?? Text(work, "name") ?? "",
            PublishTime = Date(Text(work, "datePublished")) is { } published ? Timestamp.FromDateTimeOffset(published) : null,
        };
    }

    private static DateTimeOffset? Date(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;

    /// <summary>A string property, trimmed; null when absent, empty or not a string.</summary>
    private static string? Text(JsonElement? e, string property) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString()!.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>An author or publisher's name: the thing's "name", or the thing itself when it is a string.</summary>
    private static string? Name(JsonElement? thing) =>
        thing is { ValueKind: JsonValueKind.String } s && s.GetString()!.Trim() is { Length: > 0 } name ? name : Text(thing, "name");

    /// <summary>A property that may hold one value or an array of them, as a sequence.</summary>
    private static IEnumerable<JsonElement> Many(JsonElement? e, string property) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(property, out var value)
            ? value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [value]
            : [];

    private static JsonElement? First(JsonElement? e, string property) => Many(e, property).Cast<JsonElement?>().FirstOrDefault();
}

/// <summary>One entry of a feed, where it is (for messages) and its JSON, or why it isn't readable.</summary>
internal sealed record FeedEntry(string Position, JsonElement? Element, string? Error = null);

/// <summary>What a ClaimReview doesn't say about its claim.</summary>
/// <param name="Kind">The attribution kind of a claim whose author is named (one without is an unnamed source).</param>
/// <param name="Language">The claim's language, unless the Claim (or the ClaimReview) has inLanguage.</param>
internal sealed record FeedDefaults(AttributionKind Kind, string Language, double Confidence);

internal sealed record ClaimAuthor(string Name, SpeakerKind Kind);

/// <summary>A ClaimReview as the claim to create (its speaker still to be set from <see cref="Author"/>) and the
/// review to record. <see cref="Note"/> says what was assumed.</summary>
internal sealed record ImportedClaimReview(string Url, Claim Claim, ClaimAuthor? Author, Review Review, string? Note);
