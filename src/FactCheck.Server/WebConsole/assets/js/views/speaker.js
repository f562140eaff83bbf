// A speaker: names, roles over time, and their claims. The speaker and the first page of claims load together.
import { get, v1 } from '../api.js';
import { details, h, loading, show } from '../dom.js';
import { day, rememberSpeaker, time } from '../format.js';
import { claimList } from '../claim-list.js';
import { badge } from '../labels.js';

export async function render(main, { params: [id], query, signal, fail }) {
  const name = `speakers/${id}`;
  const heading = h('h1', { tabindex: '-1' }, 'Speaker');
  const profile = h('section', { 'aria-label': 'Profile' }, loading('the speaker'));
  const claims = h('section', {});
  show(main, heading, profile, claims);
  await Promise.all([
    get(v1(name), { signal }).then(speaker => {
      rememberSpeaker(speaker);
      heading.textContent = speaker.displayName;
      document.title = `${speaker.displayName} · FactCheck console`;
      show(profile, ...describeSpeaker(speaker));
    }, error => fail(profile, error, 'show this speaker')),
    claimList(claims, { speaker: name, query, signal, fail, withSpeaker: false }),
  ]);
}

function describeSpeaker(speaker) {
  const roles = [...(speaker.roles ?? [])].sort((a, b) => dateKey(b.startDate) - dateKey(a.startDate));
  return [
    speaker.description ? h('p', { class: 'lead' }, speaker.description) : null,
    h('div', { class: 'card' }, details([
      ['Kind', badge('speakerKind', speaker.kind)],
      ['Also written', (speaker.aliases ?? []).length ? h('ul', { class: 'plain', id: 'speaker-aliases' }, speaker.aliases.map(alias => h('li', {}, alias))) : null],
      ['Wikidata', speaker.wikidataId ? h('a', { href: `https://www.wikidata.org/wiki/${encodeURIComponent(speaker.wikidataId)}`, rel: 'noopener noreferrer', target: '_blank' }, speaker.wikidataId) : null],
      ['Record', [speaker.name, ', updated ', time(speaker.updateTime)]],
    ])),
    h('h2', {}, 'Roles over time'),
    roles.length
      ? h('ol', { class: 'timeline', id: 'speaker-roles' }, roles.map(role => h('li', {},
        h('strong', {}, [role.title, role.organization].filter(Boolean).join(', ')), ' ', h('span', { class: 'meta' }, period(role)))))
      : h('p', {}, 'No roles on record.'),
  ];
}

const dateKey = date => (date?.year ?? 0) * 10000 + (date?.month ?? 0) * 100 + (date?.day ?? 0);

function period(role) {
  const start = day(role.startDate);
  const end = day(role.endDate);
  if (start && end) return `${start} – ${end}`;
  if (start) return `since ${start}`;
  if (end) return `until ${end}`;
  return 'dates not on record';
}
