// A filterable, paged list of claims (ListClaims), for one speaker or for all; the filters live in the page's
// address (#/speakers/{id}?status=VERIFIED), so a filtered list can be bookmarked and shared without the key.
import { get, v1 } from './api.js';
import { announce, filterForm, h, loading, select, show } from './dom.js';
import { dateOf, day, resourceLink, speakerLink } from './format.js';
import { badge, choices } from './labels.js';

const pageSizes = ['10', '25', '50'];

/** One claim in a list: its words, who, how it was attributed, its status, and where it was first reported. */
function claimSummary(claim, { withSpeaker = true } = {}) {
  const first = (claim.appearances ?? []).find(a => a.firstAppearance) ?? claim.appearances?.[0];
  return h('li', { class: 'card claim-summary' },
    h('blockquote', {}, claim.text),
    h('p', { class: 'meta' },
      withSpeaker ? [claim.speaker ? speakerLink(claim.speaker, claim.attributedTo || undefined) : claim.attributedTo, ' · '] : null,
      badge('attributionKind', claim.attributionKind), ' ',
      badge('verificationStatus', claim.verificationStatus),
      claim.saidOn ? ` · said ${day(claim.saidOn)}` : '',
      first ? ` · ${first.publication}` : ''),
    h('p', {}, resourceLink(claim.name, 'Open the claim')));
}

/**
 * Renders filters, a page of claims and paging into `container`; the first page is requested at once, so a caller
 * that also loads other resources gets them in parallel.
 */
export function claimList(container, { speaker, query, signal, fail, withSpeaker = true }) {
  const { form, controls: filters } = filterForm('Filter claims', {
    verificationStatus: ['filter-status', 'Status', select(choices('verificationStatus', 'Any status'), query.get('status') ?? '')],
    attributionKind: ['filter-kind', 'Attribution', select(choices('attributionKind', 'Any kind'), query.get('kind') ?? '')],
    publication: ['filter-publication', 'Publication', h('input', { type: 'text', value: query.get('publication') ?? '' })],
    from: ['filter-from', 'Said on or after', h('input', { type: 'date', value: query.get('from') ?? '' })],
    to: ['filter-to', 'Said on or before', h('input', { type: 'date', value: query.get('to') ?? '' })],
    pageSize: ['filter-size', 'Per page', select(pageSizes.map(size => [size, size]), pageSizes.includes(query.get('size')) ? query.get('size') : '10')],
  });
  const status = h('div', { role: 'status', class: 'list-status' });
  const list = h('ol', { class: 'cards', id: 'claim-list', 'aria-labelledby': 'claims-heading' });
  const previous = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Next page');
  const heading = h('h2', { id: 'claims-heading', tabindex: '-1' }, 'Claims');
  show(container, heading, form, status, list, h('nav', { class: 'pager', 'aria-label': 'Claim pages' }, previous, next));

  // Tokens of the pages before the current one; the first page has none.
  const tokens = [];
  let pageToken = '';

  async function load(moveFocus) {
    show(status, loading('claims'));
    list.setAttribute('aria-busy', 'true');
    previous.disabled = next.disabled = true;
    try {
      const request = {
        pageSize: filters.pageSize.value,
        pageToken,
        verificationStatus: filters.verificationStatus.value,
        attributionKind: filters.attributionKind.value,
        publication: filters.publication.value.trim(),
        ...dateQuery('saidOnOrAfter', filters.from.value),
        ...dateQuery('saidOnOrBefore', filters.to.value),
      };
      const page = await get(speaker ? `${v1(speaker)}/claims` : '/v1/claims', { query: request, signal });
      const claims = page.claims ?? [];
      show(list, claims.map(claim => claimSummary(claim, { withSpeaker })));
      const pageNumber = tokens.length + 1;
      show(status, claims.length ? `Page ${pageNumber}: ${claims.length} claim${claims.length === 1 ? '' : 's'}.` : 'No claims match these filters.');
      previous.disabled = tokens.length === 0;
      next.disabled = !page.nextPageToken;
      next.dataset.token = page.nextPageToken ?? '';
      if (moveFocus) {
        heading.focus();
        announce(status.textContent);
      }
    } catch (error) {
      fail(status, error, 'list claims');
    } finally {
      list.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', event => {
    event.preventDefault();
    tokens.length = 0;
    pageToken = '';
    rememberFilters(filters);
    load(true);
  });
  next.addEventListener('click', () => {
    tokens.push(pageToken);
    pageToken = next.dataset.token;
    load(true);
  });
  previous.addEventListener('click', () => {
    pageToken = tokens.pop() ?? '';
    load(true);
  });
  return load(false);
}

function dateQuery(name, value) {
  const date = dateOf(value);
  return date ? { [`${name}.year`]: date.year, [`${name}.month`]: date.month, [`${name}.day`]: date.day } : {};
}

// The filters go into the address without a navigation, so the list is not loaded twice.
function rememberFilters(filters) {
  const [path] = location.hash.split('?');
  const query = new URLSearchParams();
  const pairs = { status: filters.verificationStatus.value, kind: filters.attributionKind.value, publication: filters.publication.value.trim(), from: filters.from.value, to: filters.to.value, size: filters.pageSize.value === '10' ? '' : filters.pageSize.value };
  for (const [name, value] of Object.entries(pairs)) if (value) query.set(name, value);
  const search = query.toString();
  history.replaceState(null, '', search ? `${path}?${search}` : path);
}
