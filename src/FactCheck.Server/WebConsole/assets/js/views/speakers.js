// Finding a speaker: by a name as written (ResolveSpeaker), or by browsing every speaker (ListSpeakers).
import { get } from '../api.js';
import { field, h, loading, show } from '../dom.js';
import { percent, rememberSpeaker, resourceLink } from '../format.js';
import { badge } from '../labels.js';

const pageSize = 20;

export async function render(main, { query, signal, fail }) {
  const name = h('input', { type: 'search', value: query.get('q') ?? '', required: true, autocomplete: 'off' });
  const form = h('form', { class: 'card', role: 'search' },
    field('speaker-query', 'Name, alias or role', name, 'As an article writes it: "Araghchi", "President Bashar Al Assad", "Iranian Foreign Minister".'),
    h('button', { type: 'submit' }, 'Find'));
  const found = h('section', { 'aria-live': 'polite' });
  const everyone = h('section', { 'aria-labelledby': 'all-speakers-heading' });
  show(main, h('h1', { tabindex: '-1' }, 'Speakers'), form, found, everyone);

  form.addEventListener('submit', event => {
    event.preventDefault();
    history.replaceState(null, '', `#/speakers?${new URLSearchParams({ q: name.value.trim() })}`);
    resolve(found, name.value.trim(), { signal, fail });
  });
  // Both requests leave together.
  await Promise.all([
    name.value ? resolve(found, name.value, { signal, fail }) : null,
    browse(everyone, { signal, fail }),
  ]);
}

async function resolve(container, text, { signal, fail }) {
  show(container, loading('matching speakers'));
  try {
    const answer = await get('/v1/speakers:resolve', { query: { query: text, maxCandidates: 10 }, signal });
    const candidates = answer.candidates ?? [];
    show(container,
      h('h2', {}, `Speakers matching “${text}”`),
      candidates.length
        ? h('ol', { class: 'cards', id: 'speaker-candidates' }, candidates.map(candidate => {
          rememberSpeaker(candidate.speaker);
          return h('li', { class: 'card' },
            h('p', {}, resourceLink(candidate.speaker.name, candidate.speaker.displayName)),
            h('p', { class: 'meta' }, badge('nameMatchKind', candidate.matchKind), ` on “${candidate.matched}”, score ${percent(candidate.score)}`));
        }))
        : h('p', {}, 'No speaker on record matches this name.'));
  } catch (error) {
    fail(container, error, 'find speakers');
  }
}

async function browse(container, { signal, fail }) {
  const list = h('ul', { class: 'columns', id: 'speaker-list' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more speakers');
  const status = h('div', { role: 'status' });
  show(container, h('h2', { id: 'all-speakers-heading' }, 'All speakers'), status, list, more);
  let pageToken = '';
  async function page() {
    more.disabled = true;
    show(status, loading('speakers'));
    try {
      const answer = await get('/v1/speakers', { query: { pageSize, pageToken }, signal });
      for (const speaker of answer.speakers ?? []) {
        rememberSpeaker(speaker);
        list.append(h('li', {}, resourceLink(speaker.name, speaker.displayName)));
      }
      pageToken = answer.nextPageToken ?? '';
      more.hidden = !pageToken;
      show(status, `${list.children.length} speaker${list.children.length === 1 ? '' : 's'} shown.`);
    } catch (error) {
      fail(status, error, 'list speakers');
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', page);
  await page();
}
