using System.Globalization;
using FactCheck.Core.Claims;

namespace FactCheck.Core.Verification;

/// <summary>Every verdict in a sentence: what it rests on and why, naming the evidence claim, so that a reader need
/// not decode kinds and reason codes to trust (or question) it.</summary>
public static class VerdictExplanation
{
    /// <param name="speakerNames">Display names of the speakers the result names, by id.</param>
    public static string Explain(VerificationResult result, ClaimedSpeaker claimed, IReadOnlyDictionary<string, string> speakerNames)
    {
        string Name(Party party) => party.SpeakerId is { } id
            ? speakerNames.GetValueOrDefault(id) ?? ResourceNames.Speaker(id)
            : $"\"{party.AttributedTo}\"";
        var who = claimed.Speaker?.DisplayName ?? (claimed.IsEmpty ? "someone" : $"\"{claimed.Text.Trim()}\"");
        var named = string.Join(", ", result.Named.Select(Name));
        var match = result.Evidence is null ? null : result.Matches.FirstOrDefault(m => m.Claim.Id == result.Evidence.Id);
        var evidence = result.Evidence is null ? "" : $" ({result.Evidence.ResourceName})";

        if (claimed.IsEmpty && result.Verdict != Verdict.NotFound)
            return $"{Capitalized(Verb(result.Verdict))}: these words are on record from {Plural(result.Originators.Count, "source")}, "
                + $"best match first: {named}{evidence}.";
        return result.Verdict switch
        {
            Verdict.Supported =>
                $"{who} is on record saying {(match?.Kind == MatchKind.Exact ? "these words" : "nearly these words")} as {Record(result.Evidence!)}{evidence}.",
            Verdict.SupportedInSubstance => match?.Signal switch
            {
                "relation" => $"{who} is on record saying this in other words, by a relation a reviewer confirmed{evidence}.",
                "meaning" => $"{who} is on record saying this in other words (the meaning matches at cosine {Number(match.Similarity)}){evidence}.",
                _ => $"{who} is on record saying this in the reporter's words ({Record(result.Evidence!)}), not as their own quoted words{evidence}.",
            },
            Verdict.PartiallySupported => match?.Kind switch
            {
                MatchKind.Fragment => $"These words are part of a longer statement {who} is on record making{evidence}.",
                _ when result.Evidence!.Kind == AttributionKind.SecondHand => $"{who} is on record only relaying these words, second-hand{evidence}.",
                _ when result.Evidence!.Status == VerificationStatus.Misquoted => $"{who} is on record saying this, but a review found the record misquoted{evidence}.",
                _ => $"{who} is on record saying something that overlaps these words in part{evidence}.",
            },
            Verdict.Misattributed => result.Reason switch
            {
                ReasonCode.SaidByOther => $"These words are on record from {named}, not from {who}{evidence}.",
                ReasonCode.UnnamedSourceCredited => $"These words are on record only from unnamed sources ({named}), not from {who}{evidence}.",
                ReasonCode.ParaphraseAsQuote => $"The record is the reporter's paraphrase of {who} ({Record(result.Evidence!)}), given here in quotation marks as their own words{evidence}.",
                ReasonCode.SecondHandRelay => $"{who} only relayed these words; they are on record first-hand from {named}{evidence}.",
                ReasonCode.WrongTimeOrRole => $"{who} is on record saying this{Said(result.Evidence!)}, but not when or in the role stated{evidence}.",
                ReasonCode.DisownedByReview => $"A review of the record of {who} saying this found it misattributed{evidence}.",
                _ => $"These words are not on record from {who}{evidence}.",
            },
            Verdict.Contradicted => $"{who} is on record saying the opposite{(match?.Signal == "relation" ? ", by a relation a reviewer confirmed" : "")}{evidence}.",
            _ => result.Matches.Count == 0
                ? $"Nothing on record matches these words{(claimed.IsEmpty ? "" : $", from {who} or anyone else")}."
                : $"Nothing on record {(claimed.IsEmpty ? "" : $"from {who} ")}matches these words closely enough, nor does any other record to name its source.",
        };
    }

    private static string Record(Claim claim) => claim.Kind switch
    {
        AttributionKind.DirectQuote => "a direct quote",
        AttributionKind.UnnamedSource => "the words of unnamed sources",
        AttributionKind.Paraphrase => "a paraphrase",
        AttributionKind.Institutional => "an institution's statement",
        AttributionKind.SecondHand => "a second-hand report",
        _ => "a record",
    };

    private static string Said(Claim claim) => claim.SaidOn is { } day ? $" on {day:yyyy-MM-dd}" : "";

    private static string Verb(Verdict verdict) => verdict switch
    {
        Verdict.Supported => "supported",
        Verdict.SupportedInSubstance => "supported in substance",
        Verdict.PartiallySupported => "partially supported",
        Verdict.Contradicted => "contradicted",
        Verdict.Misattributed => "misattributed",
        _ => "not found",
    };

    private static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Number(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
