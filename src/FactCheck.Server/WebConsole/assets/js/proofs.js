// Checks, in the browser, that audit events are in the log's signed checkpoint: the leaf encoding of
// src/FactCheck.Transparency/Audit/AuditLeaf.cs, RFC 9162 inclusion proofs, and the C2SP signed note's Ed25519
// signature against a key the user pinned. The server is not trusted for any of it; the CLI's `audit verify` does
// the same checks and also proves that a saved checkpoint is extended rather than rewritten.

const encoder = new TextEncoder();
const leafVersion = 'factcheck.audit.leaf.v1';

/** WebCrypto exists only in secure contexts (https, or a loopback address). */
export const canCheck = () => Boolean(globalThis.crypto?.subtle);

export const fromBase64 = text => Uint8Array.from(atob(text ?? ''), c => c.charCodeAt(0));
export const toHex = bytes => [...bytes].map(b => b.toString(16).padStart(2, '0')).join('');

const sha256 = async (...parts) => new Uint8Array(await crypto.subtle.digest('SHA-256', concat(parts)));

function concat(parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) { out.set(part, offset); offset += part.length; }
  return out;
}

/** Whole microseconds since the epoch of an RFC 3339 time, exactly (Date keeps only milliseconds). */
function unixMicroseconds(rfc3339) {
  const [, whole, fraction = ''] = /^(.*?:\d\d)(?:\.(\d+))?Z$/.exec(rfc3339);
  return BigInt(Date.parse(`${whole}Z`)) * 1000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
}

/** RFC 9162 leaf hash of an audit event as the JSON API returns it: SHA-256(0x00 ‖ leaf input). */
export async function leafHash(event) {
  const texts = [leafVersion, String(event.sequence), event.id, String(unixMicroseconds(event.time)), event.principal,
    event.action, event.resource, event.beforeJson, event.afterJson, event.reason, event.requestId];
  const fields = [...texts.map(text => encoder.encode(text ?? '')), fromBase64(event.previousHash), fromBase64(event.hash)];
  const input = fields.flatMap(field => {
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, field.length);
    return [length, field];
  });
  return sha256(new Uint8Array([0]), ...input);
}

/** RFC 9162 section 2.1.3.2: does `proof` lead from the leaf to `root`? */
export async function proofLeadsToRoot(proof, leaf, root) {
  let index = BigInt(proof.leafIndex ?? 0);
  let last = BigInt(proof.treeSize ?? 0) - 1n;
  if (index > last) return false;
  let hash = leaf;
  for (const sibling of (proof.hashes ?? []).map(fromBase64)) {
    if (last === 0n) return false;
    if ((index & 1n) === 1n || index === last) {
      hash = await sha256(new Uint8Array([1]), sibling, hash);
      while ((index & 1n) === 0n && index !== 0n) { index >>= 1n; last >>= 1n; }
    } else {
      hash = await sha256(new Uint8Array([1]), hash, sibling);
    }
    index >>= 1n;
    last >>= 1n;
  }
  return last === 0n && toHex(hash) === toHex(root);
}

/** { state: 'ok' | 'failed' | 'unchecked', text } for one event and its proof against a checkpoint. */
export async function checkInclusion(event, proof, checkpoint) {
  if (!canCheck()) return { state: 'unchecked', text: 'Inclusion not checked: this browser offers no SHA-256 here (open the console over https or on loopback).' };
  if (!proof || !checkpoint) return { state: 'failed', text: 'The server sent no inclusion proof for this event.' };
  const sizes = `the signed checkpoint of ${checkpoint.treeSize} events`;
  return String(proof.treeSize) === String(checkpoint.treeSize) && await proofLeadsToRoot(proof, await leafHash(event), fromBase64(checkpoint.rootHash))
    ? { state: 'ok', text: `In ${sizes}: its inclusion proof was checked in this browser.` }
    : { state: 'failed', text: `NOT in ${sizes}: its inclusion proof does not lead to the checkpoint's root. The log was changed after it was signed.` };
}

/**
 * Checks a C2SP signed note against a note verifier key `<name>+<key id hex>+<base64(0x01 ‖ Ed25519 public key)>`.
 * Returns { state, text }; the note's body must also state the tree size and root the checkpoint claims.
 */
export async function checkSignature(checkpoint, verifierKey) {
  // The base64 key may itself hold '+': only the first two separate the parts.
  const [, name, keyId, encodedKey] = /^([^+]*)\+([^+]*)\+(.*)$/.exec(verifierKey.trim()) ?? [];
  const key = encodedKey ? fromBase64(encodedKey) : new Uint8Array();
  if (!name || !/^[0-9a-f]{8}$/.test(keyId ?? '') || key.length !== 33 || key[0] !== 1) {
    return { state: 'failed', text: 'That is not a note verifier key (name+key id+base64 key, as the server printed at its first start).' };
  }
  if (!canCheck()) return { state: 'unchecked', text: 'Signature not checked: this browser offers no WebCrypto here (open the console over https or on loopback).' };
  const note = checkpoint.signedNote ?? '';
  const split = note.indexOf('\n\n');
  const body = note.slice(0, split + 1);
  const [origin, size, root] = body.split('\n');
  if (split < 0 || origin !== checkpoint.origin || size !== String(checkpoint.treeSize) || root !== checkpoint.rootHash) {
    return { state: 'failed', text: 'The signed note does not state the checkpoint shown.' };
  }
  const signatures = note.slice(split + 2).split('\n').filter(line => line.startsWith(`\u2014 ${name} `)).map(line => fromBase64(line.split(' ')[2]));
  const mine = signatures.find(signature => toHex(signature.slice(0, 4)) === keyId);
  if (!mine) return { state: 'failed', text: `The note carries no signature by the pinned key ${name}+${keyId}.` };
  try {
    const publicKey = await crypto.subtle.importKey('raw', key.slice(1), { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, mine.slice(4), encoder.encode(body))
      ? { state: 'ok', text: `Signed by the pinned key ${name}+${keyId}: checked in this browser.` }
      : { state: 'failed', text: 'The signature does not verify with the pinned key: this checkpoint was not signed by the log you pinned.' };
  } catch {
    return { state: 'unchecked', text: 'Signature not checked: this browser cannot verify Ed25519 signatures. `factcheck audit verify` can.' };
  }
}
