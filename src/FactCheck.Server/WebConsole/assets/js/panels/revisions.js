// The claim's revision history with what changed in each, and the claim as it was at a chosen time ("as of").
// Filled in when the server has ListClaimRevisions and GetClaim's read_time (issue 13 phase B); the routes below are
// the places to change.
import { get, v1 } from '../api.js';
import { field, h, show } from '../dom.js';
import { changeTable } from '../diff.js';
import { extras } from '../extras.js';
import { time } from '../format.js';

export const id = 'claim-revisions';
export const title = 'Revision history';
export const unavailable = 'this server does not keep a browsable revision history yet. The audit log (auditor role) has every change.';

export const load = (claimName, { signal }) => get(`${v1(claimName)}/revisions`, { signal });

export function render(data, claimName, { signal, fail }) {
  const revisions = data.revisions ?? [];
  const asOf = h('input', { type: 'datetime-local', required: true });
  const snapshot = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form' }, field('claim-as-of', 'Show the claim as of (UTC)', asOf), h('button', { type: 'submit', class: 'secondary' }, 'Show'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const claim = await get(v1(claimName), { query: { readTime: new Date(`${asOf.value}Z`).toISOString() }, signal });
      show(snapshot, h('blockquote', {}, claim.text), extras(claim, ['text']));
    } catch (error) {
      fail(snapshot, error, 'show the claim as of that time');
    }
  });
  return [
    revisions.length
      ? h('ol', { class: 'cards' }, revisions.map((revision, index) => h('li', { class: 'card' },
        h('p', { class: 'meta' }, time(revision.createTime ?? revision.updateTime), revision.principal ? ` · ${revision.principal}` : ''),
        changeTable(revisions[index + 1]?.claim ?? revision.before, revision.claim ?? revision.after, 'What changed'))))
      : h('p', {}, 'No revisions recorded.'),
    form,
    snapshot,
  ];
}
