// What changed between two JSON snapshots (an audit event's before/after, a claim's revisions), field by field.
import { h } from './dom.js';

function flatten(value, prefix, into) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix) {
    into.set(prefix, value);
  }
  return into;
}

function parse(json) {
  if (json === undefined || json === null || json === '') return {};
  if (typeof json !== 'string') return json;
  try {
    return JSON.parse(json);
  } catch {
    return { value: json };
  }
}

/** [{ field, before, after }] for every field added, removed or changed; arrays are compared whole. */
function changes(before, after) {
  const old = flatten(parse(before), '', new Map());
  const now = flatten(parse(after), '', new Map());
  const fields = [...new Set([...old.keys(), ...now.keys()])].sort();
  return fields
    .filter(field => JSON.stringify(old.get(field)) !== JSON.stringify(now.get(field)))
    .map(field => ({ field, before: old.get(field), after: now.get(field) }));
}

const shown = value => value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);

/** A table of the changes, or a sentence when there are none. */
export function changeTable(before, after, caption = 'Changes') {
  const rows = changes(before, after);
  if (rows.length === 0) return h('p', {}, 'No field changed.');
  return h('div', { class: 'table-scroll' }, h('table', { class: 'diff' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Before'), h('th', { scope: 'col' }, 'After'))),
    h('tbody', {}, rows.map(row => h('tr', {},
      h('th', { scope: 'row' }, h('code', {}, row.field)),
      h('td', { class: row.before === undefined ? 'absent' : 'removed' }, row.before === undefined ? '(none)' : shown(row.before)),
      h('td', { class: row.after === undefined ? 'absent' : 'added' }, row.after === undefined ? '(none)' : shown(row.after)))))));
}
