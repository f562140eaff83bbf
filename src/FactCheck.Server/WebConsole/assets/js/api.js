// The JSON API as README.md documents it (gRPC JSON transcoding), and what its errors mean to a person.
import { apiKey } from './session.js';

const codeNames = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED',
  'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

/**
 * kind: 'unreachable' (no answer), 'unauthenticated', 'forbidden', 'unsupported' (the server has no such route or
 * method: an older server), or 'rpc' (any other google.rpc.Status).
 */
export class ApiError extends Error {
  constructor(kind, message, { httpStatus = 0, status = '', violations = [] } = {}) {
    super(message);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.status = status;
    this.violations = violations;
  }
}

/** `/v1/` + a resource name (`claims/abc`), each segment escaped. */
export const v1 = name => '/v1/' + name.split('/').map(encodeURIComponent).join('/');

function url(path, query) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function send(method, path, { query, body, signal, key } = {}) {
  const headers = { accept: 'application/json' };
  const secret = key ?? apiKey();
  if (secret) headers.authorization = `Bearer ${secret}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(url(path, query), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, cache: 'no-store' });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('unreachable', 'The server did not answer.');
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

async function errorOf(response) {
  const text = await response.text().catch(() => '');
  let status = null;
  try {
    status = text ? JSON.parse(text) : null;
  } catch {
    // Not a google.rpc.Status: a proxy's page, or nothing.
  }
  const code = typeof status?.code === 'number' ? status.code : null;
  const name = code !== null ? (codeNames[code] ?? `code ${code}`) : `HTTP ${response.status}`;
  const message = status?.message || response.statusText || name;
  const violations = (status?.details ?? [])
    .filter(detail => detail['@type']?.endsWith('google.rpc.BadRequest'))
    .flatMap(detail => detail.fieldViolations ?? []);
  const options = { httpStatus: response.status, status: name, violations };
  // A route the server does not have answers 404 with no body; a method it does not implement, UNIMPLEMENTED.
  if ((response.status === 404 && code === null) || code === 12 || response.status === 501) return new ApiError('unsupported', message, options);
  if (response.status === 401 || code === 16) return new ApiError('unauthenticated', message, options);
  if (response.status === 403 || code === 7) return new ApiError('forbidden', message, options);
  if (code === null && [502, 503, 504].includes(response.status)) return new ApiError('unreachable', message, options);
  return new ApiError('rpc', message, options);
}

export async function get(path, options = {}) {
  return readJson(await send('GET', path, options));
}

export async function post(path, body, options = {}) {
  return readJson(await send('POST', path, { ...options, body }));
}

async function readJson(response) {
  const text = await response.text();
  return text ? JSON.parse(text) : {};
}

/**
 * A server-streaming RPC: JSON transcoding writes one message per line and flushes each, so messages are handed
 * over as they arrive. Ends when the server ends the call; throws ApiError('unreachable') when the connection drops.
 */
export async function* stream(path, { query, signal } = {}) {
  const response = await send('GET', path, { query, signal });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  try {
    while (true) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new ApiError('unreachable', 'The connection to the server was lost.');
      }
      if (chunk.done) break;
      buffered += chunk.value;
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) yield parseStreamed(line);
      }
    }
    if (buffered.trim()) yield parseStreamed(buffered.trim());
  } finally {
    reader.releaseLock();
  }
}

// An error after the call started arrives in the body as a google.rpc.Status.
function parseStreamed(line) {
  const message = JSON.parse(line);
  if (typeof message.code === 'number' && 'message' in message && Object.keys(message).every(key => ['code', 'message', 'details'].includes(key))) {
    throw new ApiError(message.code === 16 ? 'unauthenticated' : message.code === 7 ? 'forbidden' : 'rpc', message.message, { status: codeNames[message.code] });
  }
  return message;
}

/** What to tell a person about a failed call: a title and a sentence or two. */
export function describe(error, action = 'do this') {
  if (!(error instanceof ApiError)) return { title: 'Something went wrong in the console', detail: String(error?.message ?? error) };
  switch (error.kind) {
    case 'unreachable':
      return { title: 'Cannot reach the FactCheck server', detail: `${location.origin} did not answer. It may have stopped or restarted, or the network is down; try again in a moment.` };
    case 'unauthenticated':
      return { title: 'Your API key was not accepted', detail: `${error.message}. Sign in again with a valid key.` };
    case 'forbidden': {
      const role = /lacks the (\w+) role/.exec(error.message)?.[1];
      return {
        title: `Your key is not allowed to ${action}`,
        detail: role
          ? `It lacks the ${role} role that this needs. Ask an administrator for a key with the ${role} role.`
          : error.message,
      };
    }
    case 'unsupported':
      return { title: 'Not available on this server', detail: 'This server does not offer this feature yet.' };
    default: {
      const fields = error.violations.map(v => `${v.field}: ${v.description}`).join('; ');
      return { title: `Could not ${action} (${error.status})`, detail: fields || error.message };
    }
  }
}
