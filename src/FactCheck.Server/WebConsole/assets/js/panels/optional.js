// A panel for a feature that only newer servers have: while the server lacks its route or method (404 with no
// google.rpc.Status, or UNIMPLEMENTED), it says so instead of failing the page.
import { h, loading, show } from '../dom.js';

/**
 * Loads `panel.load(...args)` into a section titled `panel.title` and renders it with `panel.render(data)`.
 * Returns the section at once; the request leaves at once too, alongside the page's own.
 */
export function optionalPanel(panel, { signal, fail }, ...args) {
  const body = h('div', {}, loading(panel.title.toLowerCase()));
  const section = h('section', { class: 'panel', id: panel.id, 'aria-labelledby': `${panel.id}-heading` },
    h('h2', { id: `${panel.id}-heading` }, panel.title), body);
  section.ready = panel.load(...args, { signal }).then(
    data => { show(body, panel.render(data, ...args, { signal, fail })); return data; },
    error => {
      if (error?.kind === 'unsupported') {
        section.dataset.state = 'unavailable';
        show(body, h('p', { class: 'unavailable' }, `Not available on this server: ${panel.unavailable}`));
      } else {
        fail(body, error, `show ${panel.title.toLowerCase()}`);
      }
      return null;
    });
  return section;
}
