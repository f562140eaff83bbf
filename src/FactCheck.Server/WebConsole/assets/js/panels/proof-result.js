// One line saying whether an audit event is in the signed checkpoint, filled in once the browser has checked.
import { h } from '../dom.js';
import { checkInclusion } from '../proofs.js';

export function proofResult(event, proof, checkpoint) {
  const line = h('p', { class: 'proof', 'data-proof': 'checking', role: 'status' }, 'Checking the inclusion proof…');
  checkInclusion(event, proof, checkpoint).then(({ state, text }) => {
    line.dataset.proof = state;
    line.className = `proof ${state === 'ok' ? 'ok' : state === 'failed' ? 'alert' : 'unavailable'}`;
    line.textContent = text;
  });
  return line;
}
