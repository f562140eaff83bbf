using FactCheck.Semantics.Evaluation;

namespace FactCheck.Semantics.Tests;

/// <summary>
/// Thirty-two cases of the evaluation set (fixtures/eval) pinned through the whole in-process pipeline with the real
/// model, which is deterministic: verdict, evidence claim, reason code and the party named must all be as labelled.
/// One or more per category, including the issue's own examples. The full set is measured by `bench evaluate`.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class PinnedVerdictTests(ModelFixture model)
{
    [Theory(Timeout = 120_000)]
    [InlineData("araqchi-resistance-support/verbatim-1")]
    [InlineData("iraqi-sources-militias-crossed/verbatim-2")]
    [InlineData("syrian-military-source-fresh-reinforcements/verbatim-2")]
    [InlineData("al-bahra-ready-to-negotiate/verbatim-2")]
    [InlineData("araqchi-resistance-support/near-2")]
    [InlineData("araqchi-resistance-support/fragment-2")]
    [InlineData("peskov-russia-supports-assad/fragment-1")]
    [InlineData("araqchi-resistance-support/reworded-1")]
    [InlineData("peskov-russia-supports-assad/reworded-1")]
    [InlineData("white-helmets-strikes-residential-areas-camp/reworded-2")]
    [InlineData("araqchi-resistance-support/translation-1")]
    [InlineData("syrian-military-source-small-groups/translation-1")]
    [InlineData("araqchi-resistance-support/negation-1")]
    [InlineData("peskov-russia-supports-assad/negation-1")]
    [InlineData("fidan-hts-advances-not-foreign-intervention/negation-1")]
    [InlineData("syrian-military-source-fresh-reinforcements/negation-2")]
    [InlineData("araqchi-syrian-military-capable/antonym-1")]
    [InlineData("sources-discussions-before-hts-advance/antonym-1")]
    [InlineData("araqchi-resistance-support/wrong-speaker-1")]
    [InlineData("araqchi-resistance-support/wrong-speaker-3")]
    [InlineData("fidan-urges-opposition-compromise/wrong-speaker-1")]
    [InlineData("iraqi-sources-militias-crossed/unnamed-credited-to-named-1")]
    [InlineData("syrian-military-source-fresh-reinforcements/unnamed-credited-to-named-1")]
    [InlineData("araqchi-syrian-military-capable/paraphrase-as-quote-1")]
    [InlineData("araqchi-resistance-support/wrong-time-1")]
    [InlineData("araqchi-resistance-support/negation-wrong-speaker-1")]
    [InlineData("araqchi-resistance-support/who-said-this-1")]
    [InlineData("araqchi-resistance-support/who-said-this-3")]
    [InlineData("iraqi-sources-militias-crossed/who-said-this-1")]
    [InlineData("unrelated-04")]
    [InlineData("unrelated-29")]
    [InlineData("unrelated-30")]
    public async Task TheCaseGetsItsLabelledAnswer(string id)
    {
        var @case = model.Cases.Single(c => c.Id == id);
        var verifier = await model.VerifierAsync();
        var outcome = EvaluationRun.Outcome(@case, await verifier.VerifyAsync(@case.Text, @case.Speaker, @case.SaidOn, CancellationToken.None));
        Assert.Equal(
            (@case.Expected.Verdict, @case.Expected.Evidence, @case.Expected.Reason, @case.Expected.Named),
            (outcome.Verdict, outcome.Evidence, outcome.Reason, outcome.Named));
    }
}
