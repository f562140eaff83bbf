// The audit log: filtered events with what each changed, a live tail (WatchAuditEvents, read as it streams), the
// hash-chain check, and the checkpoint panel. The first page and the checkpoint are requested together; the tail
// starts after the newest event they show.
import { get, post, stream } from '../api.js';
import { details, filterForm, h, loading, show } from '../dom.js';
import { changeTable } from '../diff.js';
import { resourceLink, time } from '../format.js';
import { optionalPanel } from '../panels/optional.js';
import * as checkpoint from '../panels/checkpoint.js';
import { proofResult } from '../panels/proof-result.js';

const pageSize = 50;
const tailLimit = 200;

export async function render(main, { query, signal, fail }) {
  const { form, controls: filters } = filterForm('Filter events', {
    resource: ['audit-resource', 'Resource', h('input', { type: 'text', value: query.get('resource') ?? '', placeholder: 'claims/…' })],
    principal: ['audit-principal', 'Principal', h('input', { type: 'text', value: query.get('principal') ?? '' })],
    action: ['audit-action', 'Action', h('input', { type: 'text', value: query.get('action') ?? '', placeholder: 'review.create' })],
    from: ['audit-from', 'From (UTC)', h('input', { type: 'datetime-local', value: query.get('from') ?? '' })],
    to: ['audit-to', 'Before (UTC)', h('input', { type: 'datetime-local', value: query.get('to') ?? '' })],
  });
  const chain = h('div', { class: 'chain-result', 'aria-live': 'polite' });
  const checkChain = h('button', { type: 'button', class: 'secondary' }, 'Check the hash chain');
  const tailSection = h('section', { 'aria-labelledby': 'tail-heading' });
  const listSection = h('section', { 'aria-labelledby': 'events-heading' });
  const panel = optionalPanel(checkpoint, { signal, fail });
  show(main, h('h1', { tabindex: '-1' }, 'Audit log'), form, tailSection,
    h('section', { class: 'panel', 'aria-labelledby': 'chain-heading' }, h('h2', { id: 'chain-heading' }, 'Integrity'), checkChain, chain),
    panel, listSection);

  checkChain.addEventListener('click', async () => {
    checkChain.disabled = true;
    show(chain, loading('the chain check (every event is read)'));
    try {
      const answer = await post('/v1/auditEvents:verify', {}, { signal });
      show(chain, answer.ok
        ? h('p', { class: 'ok' }, `The hash chain is intact: ${answer.eventsChecked} events checked.`)
        : h('div', { class: 'alert', role: 'alert' }, h('strong', {}, `The chain is broken at event #${answer.firstBrokenEvent?.sequence}`), h('p', {}, answer.problem)));
    } catch (error) {
      fail(chain, error, 'check the audit log');
    } finally {
      checkChain.disabled = false;
    }
  });

  let stopTail = () => {};
  async function start() {
    stopTail();
    const request = {
      resource: filters.resource.value.trim(),
      principal: filters.principal.value.trim(),
      action: filters.action.value.trim(),
    };
    const range = { startTime: utc(filters.from.value), endTime: utc(filters.to.value) };
    const [newestListed, covered] = await Promise.all([
      listEvents(listSection, { ...request, ...range }, { signal, fail }),
      panel.ready.then(checkpoint.latestSequence),
    ]);
    if (newestListed === null || signal.aborted) return;
    stopTail = tail(tailSection, request, Math.max(newestListed, covered ?? 0), { signal, fail });
  }
  form.addEventListener('submit', event => {
    event.preventDefault();
    const search = new URLSearchParams(Object.entries(filters).map(([name, input]) => [name, input.value.trim()]).filter(([, value]) => value));
    history.replaceState(null, '', search.size ? `#/audit?${search}` : '#/audit');
    start();
  });
  await start();
}

const utc = value => (value ? new Date(`${value}Z`).toISOString() : '');

/** Lists the first page (and more on demand); resolves to the newest sequence shown, or null when refused. */
async function listEvents(container, request, { signal, fail }) {
  const list = h('ol', { class: 'cards', id: 'audit-events' });
  const status = h('div', { role: 'status' }, loading('events'));
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more events');
  show(container, h('h2', { id: 'events-heading' }, 'Events, oldest first'), status, list, more);
  let pageToken = '';
  let newest = 0;
  async function page() {
    more.disabled = true;
    try {
      const answer = await get('/v1/auditEvents', { query: { ...request, pageSize, pageToken, includeProofs: true }, signal });
      for (const [index, event] of (answer.events ?? []).entries()) {
        list.append(eventItem(event, proofResult(event, answer.inclusionProofs?.[index], answer.checkpoint)));
        newest = Math.max(newest, Number(event.sequence));
      }
      pageToken = answer.nextPageToken ?? '';
      more.hidden = !pageToken;
      show(status, list.children.length ? `${list.children.length} events shown${pageToken ? '; more are older than the live tail' : ''}.` : 'No events match these filters.');
      return true;
    } catch (error) {
      fail(status, error, 'read the audit log');
      return false;
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', page);
  return (await page()) ? newest : null;
}

/** Follows new events until the page goes away; reconnects after the last event received. Returns a stop function. */
function tail(container, request, startAfter, { signal, fail }) {
  const status = h('div', { role: 'status', class: 'tail-status' });
  const toggle = h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false' }, 'Pause');
  const list = h('ol', { class: 'cards', id: 'tail-events', 'aria-label': 'New events, newest first' });
  show(container, h('h2', { id: 'tail-heading' }, 'Live tail'), h('div', { class: 'tail-bar' }, status, toggle), list);
  let after = startAfter;
  let stopped = false;
  let connection = null;

  const state = (text, kind) => { status.textContent = text; status.dataset.state = kind; };

  async function follow() {
    let delay = 1000;
    while (!stopped && !signal.aborted) {
      connection = new AbortController();
      const abort = () => connection.abort();
      signal.addEventListener('abort', abort, { once: true });
      state(`Live: new events after #${after} appear here as they are recorded.`, 'live');
      try {
        for await (const event of stream('/v1/auditEvents:watch', { query: { ...request, afterSequence: after }, signal: connection.signal })) {
          after = Math.max(after, Number(event.sequence));
          delay = 1000;
          list.prepend(eventItem(event));
          while (list.children.length > tailLimit) list.lastElementChild.remove();
          state(`Live: ${list.children.length} new event${list.children.length === 1 ? '' : 's'}; the newest is #${after}.`, 'live');
        }
        if (stopped || signal.aborted) return;
        state('The server ended the live tail (restarting?); reconnecting…', 'reconnecting');
      } catch (error) {
        if (stopped || signal.aborted) return;
        if (error?.kind !== 'unreachable') {
          state('', 'stopped');
          fail(status, error, 'follow the audit log');
          return;
        }
        state(`Disconnected: cannot reach the FactCheck server. Retrying in ${delay / 1000} s; events after #${after} will follow.`, 'down');
      } finally {
        signal.removeEventListener('abort', abort);
      }
      await new Promise(resolve => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 15000);
    }
  }

  toggle.addEventListener('click', () => {
    if (stopped) {
      stopped = false;
      toggle.textContent = 'Pause';
      toggle.setAttribute('aria-pressed', 'false');
      follow();
    } else {
      stop();
      state(`Paused after #${after}.`, 'paused');
      toggle.textContent = 'Resume';
      toggle.setAttribute('aria-pressed', 'true');
    }
  });
  function stop() {
    stopped = true;
    connection?.abort();
  }
  follow();
  return () => {
    stop();
    show(container);
  };
}

function eventItem(event, proof) {
  return h('li', { class: 'card audit-event', 'data-sequence': event.sequence, 'data-action': event.action },
    h('p', {},
      h('strong', {}, `#${event.sequence}`), ' ', h('code', { class: 'action' }, event.action), ' on ', resourceLink(event.resource),
      ' by ', h('strong', {}, event.principal), ', ', time(event.time)),
    event.reason ? h('p', {}, `Reason: ${event.reason}`) : null,
    proof,
    h('details', {},
      h('summary', {}, 'What changed, and the hashes'),
      changeTable(event.beforeJson, event.afterJson, `Changes recorded by event #${event.sequence}`),
      details([['Hash', hex(event.hash)], ['Previous hash', hex(event.previousHash)], ['Request id', event.requestId]])));
}

function hex(base64) {
  if (!base64) return '';
  return h('code', { class: 'hash' }, [...atob(base64)].map(c => c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
}
