// The claim's revision history (ListClaimRevisions): who changed it, why, what changed field by field, and each
// revision's inclusion proof checked in the browser against the signed checkpoint; and the claim "as of" a time.
import { get, v1 } from '../api.js';
import { field, h, show } from '../dom.js';
import { changeTable } from '../diff.js';
import { extras } from '../extras.js';
import { time } from '../format.js';
import { proofResult } from './proof-result.js';

export const id = 'claim-revisions';
export const title = 'Revision history';
export const unavailable = 'this server does not keep a browsable revision history yet. The audit log (auditor role) has every change.';

export const load = (claimName, { signal }) => get(`${v1(claimName)}:listRevisions`, { query: { pageSize: 100 }, signal });

/** A FieldChange list as the before and after objects changeTable compares. */
function sides(changes) {
  const parse = json => (json ? JSON.parse(json) : undefined);
  return ['beforeJson', 'afterJson'].map(side => Object.fromEntries((changes ?? []).map(change => [change.field, parse(change[side])])));
}

export function render(data, claimName, { signal, fail }) {
  const revisions = data.revisions ?? [];
  const asOf = h('input', { type: 'datetime-local', step: '1', required: true });
  const snapshot = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form' }, field('claim-as-of', 'Show the claim as of (UTC)', asOf), h('button', { type: 'submit', class: 'secondary' }, 'Show'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const claim = await get(v1(claimName), { query: { readTime: new Date(`${asOf.value}Z`).toISOString() }, signal });
      show(snapshot, h('blockquote', { class: 'as-of' }, claim.text), extras(claim, ['text']));
    } catch (error) {
      fail(snapshot, error, 'show the claim as of that time');
    }
  });
  return [
    revisions.length
      ? h('ol', { class: 'cards', id: 'revision-list' }, revisions.map(revision => {
        const event = revision.auditEvent ?? {};
        const [before, after] = sides(revision.changes);
        return h('li', { class: 'card revision', 'data-action': event.action },
          h('p', { class: 'meta' }, h('code', { class: 'action' }, event.action), ' by ', h('strong', {}, event.principal), ', ', time(revision.revisionCreateTime)),
          event.reason ? h('p', {}, `Reason: ${event.reason}`) : null,
          changeTable(before, after, `What revision ${revision.revisionId} changed`),
          proofResult(event, revision.inclusionProof, data.checkpoint));
      }))
      : h('p', {}, 'No revisions recorded.'),
    form,
    snapshot,
  ];
}
