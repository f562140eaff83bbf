// The log's signed checkpoint (size and root hash) and, against a key the auditor pins, the check of its signature.
// The events listed below are checked against it one by one (their inclusion proofs).
import { get } from '../api.js';
import { details, field, h, show } from '../dom.js';
import { checkSignature, fromBase64, toHex } from '../proofs.js';

export const id = 'audit-checkpoint';
export const title = 'Checkpoint and proofs';
export const unavailable = 'this server publishes no signed checkpoint yet. "Check the hash chain" above verifies the whole log.';

const pinnedKeyItem = 'factcheck.console.logKey';

export const load = ({ signal }) => get('/v1/auditLog/checkpoint', { signal });

/** The sequence of the newest event the checkpoint covers, so a live tail can start there. */
export const latestSequence = checkpoint => Number(checkpoint?.treeSize ?? 0) || null;

export function render(checkpoint) {
  const key = h('input', { type: 'text', value: localStorage.getItem(pinnedKeyItem) ?? '', spellcheck: 'false', autocomplete: 'off', required: true });
  const result = h('div', { id: 'signature-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form', id: 'pin-key-form' },
    field('log-key', 'The log\'s public key, pinned', key, 'As printed by the server at its first start (name+id+key). Kept in this browser, never taken from the server being checked.'),
    h('button', { type: 'submit', class: 'secondary' }, 'Check the signature'));
  async function check() {
    if (!key.value.trim()) return;
    localStorage.setItem(pinnedKeyItem, key.value.trim());
    const { state, text } = await checkSignature(checkpoint, key.value);
    show(result, h('p', { class: state === 'ok' ? 'ok' : state === 'failed' ? 'alert' : 'unavailable', 'data-signature': state, role: state === 'failed' ? 'alert' : 'status' }, text));
  }
  form.addEventListener('submit', event => { event.preventDefault(); check(); });
  check();
  return h('div', { class: 'card' },
    details([
      ['Log', checkpoint.origin],
      ['Events in the tree', checkpoint.treeSize],
      ['Root hash', h('code', { class: 'hash' }, toHex(fromBase64(checkpoint.rootHash)))],
    ]),
    h('details', {}, h('summary', {}, 'The signed note'), h('pre', { class: 'note' }, checkpoint.signedNote)),
    form, result,
    h('p', { class: 'hint' }, 'Each event below says whether its inclusion proof leads to this root. To prove the log was only appended to since a checkpoint you saved, use `factcheck audit verify --checkpoint FILE`.'));
}
