// The log's signed checkpoint (size and root hash) and the result of checking proofs against it. Filled in when the
// server has GetCheckpoint and the proofs (issue 13 phase B); the route below is the one place to change.
import { get } from '../api.js';
import { h } from '../dom.js';
import { extras } from '../extras.js';

export const id = 'audit-checkpoint';
export const title = 'Checkpoint and proofs';
export const unavailable = 'this server publishes no signed checkpoint yet. "Check the hash chain" above verifies the whole log.';

export const load = ({ signal }) => get('/v1/auditLog/checkpoint', { signal });

/** The sequence of the newest event the checkpoint covers, so a live tail can start there. */
export const latestSequence = checkpoint => Number(checkpoint?.size ?? checkpoint?.treeSize ?? 0) || null;

export function render(checkpoint) {
  return h('div', { class: 'card' }, extras(checkpoint, []) ?? h('p', {}, 'The server sent an empty checkpoint.'));
}
