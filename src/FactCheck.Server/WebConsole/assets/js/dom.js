// Elements are built from text nodes only (never innerHTML): whatever the records say is shown, never run.

/** h('a', { href: '#/x', class: 'link' }, 'text', child): attributes, `on*` listeners, and children. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'class') element.className = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces what an element shows. */
export function show(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A term/description list of the pairs whose description is set. */
export function details(pairs) {
  const shown = pairs.filter(([, value]) => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0));
  return h('dl', { class: 'facts' }, shown.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

/** A failure a person can read: role="alert" so screen readers announce it at once. */
export function alertBox({ title, detail }) {
  return h('div', { class: 'alert', role: 'alert' }, h('strong', {}, title), detail ? h('p', {}, detail) : null);
}

export function loading(what) {
  return h('p', { class: 'loading', role: 'status' }, `Loading ${what}…`);
}

const announcer = () => document.getElementById('announcer');

/** Says something to screen-reader users without moving their focus. */
export function announce(message) {
  const region = announcer();
  if (!region) return;
  region.textContent = '';
  // A change after a tick is announced even when the text repeats.
  setTimeout(() => { region.textContent = message; }, 50);
}

/** A labelled form field: label, control and optional hint tied together for assistive technology. */
export function field(id, labelText, control, hint) {
  control.id = id;
  if (!control.name) control.name = id;
  const hintElement = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintElement) control.setAttribute('aria-describedby', hintElement.id);
  return h('div', { class: 'field' }, h('label', { for: id }, labelText), hintElement, control);
}

/**
 * Filters laid out in a grid and applied together by one submit button, from `{ key: [id, label, control] }`;
 * returns the form and the controls by key.
 */
export function filterForm(name, fields) {
  const form = h('form', { class: 'card filters', 'aria-label': name },
    h('div', { class: 'filter-grid' }, Object.values(fields).map(([id, text, control]) => field(id, text, control))),
    h('button', { type: 'submit' }, 'Apply filters'));
  return { form, controls: Object.fromEntries(Object.entries(fields).map(([key, [, , control]]) => [key, control])) };
}

export function select(options, selected) {
  return h('select', {}, options.map(([value, text]) => h('option', { value, selected: value === selected }, text)));
}
