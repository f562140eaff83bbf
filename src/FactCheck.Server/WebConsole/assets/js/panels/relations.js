// How this claim relates to others (repeats, fragment of, paraphrase of, contradicts, translation of): suggested by the
// server after it embeds a claim, confirmed or rejected here by reviewers (ClaimRelationService; each decision is
// audited). Only confirmed relations count in verification.
import { get, post, v1 } from '../api.js';
import { announce, h, show } from '../dom.js';
import { extras } from '../extras.js';
import { percent, resourceLink, time } from '../format.js';
import { badge } from '../labels.js';

export const id = 'claim-relations';
export const title = 'Related claims';
export const unavailable = 'this server does not record relations between claims yet.';

export const load = (claimName, { signal }) => get(`${v1(claimName)}/relations`, { query: { pageSize: 100 }, signal });

const known = ['name', 'claim', 'relatedClaim', 'kind', 'state', 'score', 'createTime', 'reviewer', 'reviewTime', 'etag'];

export function render(data, claimName, { signal, fail }) {
  const relations = data.claimRelations ?? [];
  if (relations.length === 0) return h('p', {}, 'No relations recorded. The server suggests them once it has embedded the claim.');
  return [
    h('p', { class: 'hint' }, 'Suggested by the server from the claims\' words and meaning; confirming one (reviewer role) makes it count in verification, and is recorded in the audit log under your key\'s principal.'),
    h('ul', { class: 'cards', id: 'relation-list' }, relations.map(relation => card(relation, claimName, { signal, fail }))),
  ];
}

function card(relation, claimName, context) {
  const item = h('li', { class: 'card relation', 'data-name': relation.name });
  return fill(item, relation, claimName, context);
}

function fill(item, relation, claimName, { signal, fail }) {
  // Read from this claim: "this claim REPEATS that one", or "that claim REPEATS this one".
  const subject = relation.claim === claimName;
  const other = subject ? relation.relatedClaim : relation.claim;
  const problems = h('div', {});
  const decide = verb => async () => {
    for (const button of item.querySelectorAll('button')) button.disabled = true;
    show(problems);
    try {
      const decided = await post(`${v1(relation.name)}:${verb}`, { etag: relation.etag }, { signal });
      fill(item, decided, claimName, { signal, fail });
      announce(`Relation ${verb === 'confirm' ? 'confirmed' : 'rejected'}.`);
      item.querySelector('.relation-state')?.focus();
    } catch (error) {
      fail(problems, error, `${verb} relations`);
      for (const button of item.querySelectorAll('button')) button.disabled = false;
    }
  };
  return show(item,
    h('p', {},
      subject ? 'This claim ' : ['The claim ', resourceLink(other), ' '],
      badge('relationKind', relation.kind),
      subject ? [' ', resourceLink(other)] : ' this one',
      ` (score ${percent(relation.score)})`),
    h('p', { class: 'meta' },
      h('span', { class: 'relation-state', tabindex: '-1' }, badge('relationState', relation.state)),
      relation.reviewer ? [' by ', h('strong', {}, relation.reviewer), ', ', time(relation.reviewTime)] : [', suggested ', time(relation.createTime)]),
    relation.state === 'CONFIRMED' ? null : h('button', { type: 'button', class: 'confirm', onclick: decide('confirm') }, 'Confirm'),
    relation.state === 'REJECTED' ? null : [' ', h('button', { type: 'button', class: 'reject secondary', onclick: decide('reject') }, 'Reject')],
    problems,
    extras(relation, known));
}
