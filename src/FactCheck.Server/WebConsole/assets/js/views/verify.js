// VerifyAttribution: a quote and a name in; the verdict, the matching records with their kind and reasons, and who
// the words are on record from.
import { post } from '../api.js';
import { announce, details, field, h, loading, show } from '../dom.js';
import { extras } from '../extras.js';
import { dateOf, day, percent, resourceLink, speakerLink } from '../format.js';
import { badge } from '../labels.js';

const knownResponseFields = ['verdict', 'confidence', 'resolvedSpeaker', 'speakerResolutionScore', 'matches', 'attributedSpeakers'];
const knownMatchFields = ['claim', 'similarity', 'matchKind', 'contribution'];

export async function render(main, { signal, fail }) {
  const text = h('textarea', { rows: 4, required: true });
  const speaker = h('input', { type: 'text', required: true, autocomplete: 'off' });
  const saidOn = h('input', { type: 'date' });
  const submit = h('button', { type: 'submit' }, 'Verify');
  const result = h('section', { 'aria-labelledby': 'verify-result-heading', id: 'verify-result' });
  const form = h('form', { class: 'card' },
    field('verify-text', 'Quote', text, 'The words as you saw them; quote marks, case and "..." elisions are fine.'),
    field('verify-speaker', 'Attributed to', speaker, 'A name as written ("Araghchi", "Iran\'s foreign minister") or speakers/{id}.'),
    field('verify-said-on', 'Said on (optional)', saidOn),
    submit);
  show(main, h('h1', { tabindex: '-1' }, 'Verify a quote'), form, result);

  form.addEventListener('submit', async event => {
    event.preventDefault();
    submit.disabled = true;
    show(result, loading('the verdict'));
    try {
      const answer = await post('/v1/claims:verify', { text: text.value, speaker: speaker.value, saidOn: dateOf(saidOn.value) }, { signal });
      show(result, ...verdict(answer));
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

function verdict(answer) {
  const matches = answer.matches ?? [];
  const onRecordFrom = answer.attributedSpeakers ?? [];
  return [
    h('h2', { id: 'verify-result-heading', tabindex: '-1' }, 'Result'),
    h('div', { class: 'card verdict' },
      h('p', { class: 'verdict-line' }, badge('verdict', answer.verdict ?? 'VERDICT_UNSPECIFIED'), ' ', h('span', {}, `confidence ${percent(answer.confidence)}`)),
      details([
        ['Speaker', answer.resolvedSpeaker
          ? [speakerLink(answer.resolvedSpeaker), ` (name matched at ${percent(answer.speakerResolutionScore)})`]
          : 'The name did not resolve to any speaker on record.'],
        ['On record from', onRecordFrom.length ? joined(onRecordFrom.map(name => speakerLink(name))) : null],
      ]),
      extras(answer, knownResponseFields)),
    h('h3', {}, matches.length ? `Matching records (${matches.length})` : 'No matching records'),
    matches.length ? h('ol', { class: 'cards', id: 'verify-matches' }, matches.map(match)) : null,
  ];
}

function match(item) {
  const claim = item.claim ?? {};
  const first = (claim.appearances ?? []).find(a => a.firstAppearance) ?? claim.appearances?.[0];
  return h('li', { class: 'card match' },
    h('blockquote', {}, claim.text),
    h('p', { class: 'meta' },
      badge('quoteMatchKind', item.matchKind), ' ',
      `similarity ${percent(item.similarity)}, share of confidence ${percent(item.contribution)}`),
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
