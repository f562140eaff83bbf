// Every claim, including those without a named speaker (unnamed sources), with the same filters as a speaker's page.
import { h, show } from '../dom.js';
import { claimList } from '../claim-list.js';

export async function render(main, { query, signal, fail }) {
  const list = h('section', {});
  show(main, h('h1', { tabindex: '-1' }, 'Claims'), list);
  await claimList(list, { query, signal, fail });
}
