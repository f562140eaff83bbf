// VerifyAttribution: a quote and a name in (or no name: who said this?); the verdict with its reason in words, the
// matching records with their kind and the signal that decided it, who the words are on record from, and for "who
// said this?" every source with where the words first appeared.
import { post } from '../api.js';
import { announce, details, field, h, loading, show } from '../dom.js';
import { extras } from '../extras.js';
import { dateOf, day, percent, resourceLink, speakerLink, time } from '../format.js';
import { badge } from '../labels.js';

const knownResponseFields = ['verdict', 'confidence', 'resolvedSpeaker', 'speakerResolutionScore', 'matches', 'attributedSpeakers',
  'reason', 'evidenceClaim', 'explanation', 'namedParties', 'claimedParty', 'originators'];
const knownMatchFields = ['claim', 'similarity', 'matchKind', 'contribution', 'signal', 'cosine'];
const signals = { words: 'the words', meaning: 'the meaning (sentence model)', polarity: 'a negation or opposite', relation: 'a relation a reviewer confirmed' };

export async function render(main, { signal, fail }) {
  const text = h('textarea', { rows: 4, required: true });
  const speaker = h('input', { type: 'text', autocomplete: 'off' });
  const saidOn = h('input', { type: 'date' });
  const submit = h('button', { type: 'submit' }, 'Verify');
  const result = h('section', { 'aria-labelledby': 'verify-result-heading', id: 'verify-result' });
  const form = h('form', { class: 'card' },
    field('verify-text', 'Quote', text, 'The words as you saw them; quote marks, case and "..." elisions are fine.'),
    field('verify-speaker', 'Attributed to', speaker,
      'A name as written ("Araghchi", "Iran\'s foreign minister"), speakers/{id}, or a source as reported ("Iraqi security sources"). Leave it empty to ask who said it.'),
    field('verify-said-on', 'Said on (optional)', saidOn),
    submit);
  show(main, h('h1', { tabindex: '-1' }, 'Verify a quote'), form, result);

  form.addEventListener('submit', async event => {
    event.preventDefault();
    submit.disabled = true;
    show(result, loading('the verdict'));
    try {
      const answer = await post('/v1/claims:verify', { text: text.value, speaker: speaker.value.trim(), saidOn: dateOf(saidOn.value) }, { signal });
      show(result, ...verdict(answer, speaker.value.trim() === ''));
      announce(`Verdict: ${result.querySelector('.verdict .badge')?.textContent}`);
      result.querySelector('h2')?.focus();
    } catch (error) {
      fail(result, error, 'verify this quote');
      result.querySelector('[role=alert]')?.setAttribute('tabindex', '-1');
    } finally {
      submit.disabled = false;
    }
  });
}

function verdict(answer, whoSaidThis) {
  const matches = answer.matches ?? [];
  const named = answer.namedParties ?? [];
  const originators = answer.originators ?? [];
  const claimed = answer.claimedParty;
  return [
    h('h2', { id: 'verify-result-heading', tabindex: '-1' }, whoSaidThis ? 'Who said this' : 'Result'),
    h('div', { class: 'card verdict' },
      h('p', { class: 'verdict-line' }, badge('verdict', answer.verdict ?? 'VERDICT_UNSPECIFIED'), ' ',
        answer.reason ? [badge('reasonCode', answer.reason), ' '] : null,
        h('span', {}, `confidence ${percent(answer.confidence)}`)),
      answer.explanation ? h('p', { class: 'explanation', id: 'verify-explanation' }, answer.explanation) : null,
      details([
        ['Speaker', whoSaidThis ? null : answer.resolvedSpeaker
          ? [speakerLink(answer.resolvedSpeaker), ` (name matched at ${percent(answer.speakerResolutionScore)})`]
          : claimed?.attributedTo
            ? ['No speaker of ours: matched against how records name their sources, as ', h('q', {}, claimed.attributedTo)]
            : 'The name did not resolve to any speaker on record.'],
        [answer.verdict === 'CONTRADICTED' ? 'Said the opposite' : 'On record from', named.length && !whoSaidThis ? joined(named.map(party)) : null],
        ['Evidence', answer.evidenceClaim ? resourceLink(answer.evidenceClaim, 'The claim this rests on') : null],
      ]),
      extras(answer, knownResponseFields)),
    originators.length ? [
      h('h3', {}, `Sources on record (${originators.length})`),
      h('ol', { class: 'cards', id: 'verify-originators' }, originators.map(originator)),
    ] : null,
    h('h3', {}, matches.length ? `Matching records (${matches.length})` : 'No matching records'),
    matches.length ? h('ol', { class: 'cards', id: 'verify-matches' }, matches.map(match)) : null,
  ];
}

function party(p) {
  return p?.speaker ? speakerLink(p.speaker) : h('q', {}, p?.attributedTo ?? '');
}

function originator(item) {
  const first = item.firstAppearance;
  return h('li', { class: 'card originator' },
    h('p', {}, h('strong', {}, party(item.party)), ' ', badge('attributionKind', item.attributionKind), ' ', badge('quoteMatchKind', item.matchKind),
      ` similarity ${percent(item.similarity)}`),
    details([
      ['First appeared', first ? [first.publication, first.publishTime ? [', ', time(first.publishTime)] : null,
        first.url ? [' — ', h('a', { href: first.url, rel: 'noopener noreferrer', target: '_blank' }, first.title || first.url)] : null] : null],
      ['First claim', resourceLink(item.firstClaim)],
    ]));
}

function match(item) {
  const claim = item.claim ?? {};
  const first = (claim.appearances ?? []).find(a => a.firstAppearance) ?? claim.appearances?.[0];
  return h('li', { class: 'card match' },
    h('blockquote', {}, claim.text),
    h('p', { class: 'meta' },
      badge('quoteMatchKind', item.matchKind), ' ',
      `similarity ${percent(item.similarity)}, share of confidence ${percent(item.contribution)}`,
      item.signal ? `, decided by ${signals[item.signal] ?? item.signal}` : ''),
    details([
      ['Attributed to', claim.speaker ? speakerLink(claim.speaker, claim.attributedTo || undefined) : claim.attributedTo],
      ['Said on', day(claim.saidOn)],
      ['Status', badge('verificationStatus', claim.verificationStatus)],
      ['First reported', first ? [first.publication, first.url ? [' — ', h('a', { href: first.url, rel: 'noopener noreferrer', target: '_blank' }, first.title || first.url)] : null] : null],
    ]),
    extras(item, knownMatchFields),
    h('p', {}, resourceLink(claim.name, 'Open the claim')));
}

function joined(nodes) {
  return nodes.flatMap((node, index) => (index ? [', ', node] : [node]));
}
