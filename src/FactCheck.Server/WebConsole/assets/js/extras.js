// Fields a newer server sends that this console has no special display for: shown as they come, so new evidence,
// reasons or originators are visible at once. Enum-like values (UPPER_SNAKE) are put into words; resource names link.
import { h } from './dom.js';
import { humanize } from './labels.js';
import { resourceLink } from './format.js';

const enumLike = /^[A-Z][A-Z0-9_]+$/;
const resourceLike = /^(claims|speakers)\/[^/]+$/;

function value(item) {
  if (item === null || item === undefined) return '';
  if (Array.isArray(item)) return item.length ? h('ul', { class: 'plain' }, item.map(inner => h('li', {}, value(inner)))) : '';
  if (typeof item === 'object') return h('dl', { class: 'facts nested' }, Object.entries(item).map(([key, inner]) => [h('dt', {}, humanize(words(key))), h('dd', {}, value(inner))]));
  if (typeof item === 'string' && resourceLike.test(item)) return resourceLink(item);
  if (typeof item === 'string' && enumLike.test(item)) return h('span', { class: 'badge tone-neutral', 'data-value': item }, humanize(item));
  return String(item);
}

// camelCase JSON names into words: "evidenceClaims" -> "evidence claims".
const words = key => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/** A description list of the object's fields not in `known`, or null when there are none. */
export function extras(object, known) {
  const rest = Object.entries(object ?? {}).filter(([key, item]) => !known.includes(key) && item !== '' && !(Array.isArray(item) && item.length === 0));
  if (rest.length === 0) return null;
  return h('dl', { class: 'facts extras' }, rest.map(([key, item]) => [h('dt', {}, humanize(words(key))), h('dd', {}, value(item))]));
}
