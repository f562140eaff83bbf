// How this claim relates to others (contradicts, repeats, answers...): typed relations, suggested and confirmed.
// Filled in when the server has the relations RPC (issue 12 phase B); the route below is the one place to change.
import { get, v1 } from '../api.js';
import { h } from '../dom.js';
import { extras } from '../extras.js';
import { resourceLink } from '../format.js';
import { badge } from '../labels.js';

export const id = 'claim-relations';
export const title = 'Related claims';
export const unavailable = 'this server does not record relations between claims yet.';

export const load = (claimName, { signal }) => get(`${v1(claimName)}/relations`, { signal });

export function render(data) {
  const relations = data.relations ?? [];
  if (relations.length === 0) return h('p', {}, 'No relations recorded.');
  return h('ul', { class: 'cards' }, relations.map(relation => h('li', { class: 'card' },
    badge('relationKind', relation.kind), ' ',
    relation.state ? badge('relationState', relation.state) : null, ' ',
    resourceLink(relation.target ?? relation.otherClaim ?? ''),
    extras(relation, ['kind', 'state', 'target', 'otherClaim']))));
}
