// Friendly names for the API's enum values. A value the console does not know yet (a newer server) is still shown,
// in words made from its name, so new verdicts, match kinds and reasons appear without a console release.
import { h } from './dom.js';
// The table is data, in labels.json: for each enum, value -> [label, tone], where tone picks the badge colours (good,
// warn, bad, neutral). A value's place in its group is its place among the choices of a select.
import groups from './labels.json' with { type: 'json' };

/** "SUPPORTED_IN_SUBSTANCE" -> "Supported in substance". */
export function humanize(value) {
  const words = String(value ?? '').toLowerCase().replaceAll('_', ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : '';
}

export function label(group, value) {
  return groups[group]?.[value]?.[0] ?? humanize(value);
}

/** A badge: the friendly label, with the API's own value kept in a data attribute for tools and tests. */
export function badge(group, value) {
  if (value === undefined || value === null || value === '') return null;
  const tone = groups[group]?.[value]?.[1] ?? 'neutral';
  return h('span', { class: `badge tone-${tone}`, 'data-value': value }, label(group, value));
}

/** [value, label] for every known value, after an "any" choice when `anyText` is given: options of a select. */
export function choices(group, anyText) {
  const known = Object.entries(groups[group]).map(([value, [text]]) => [value, text]);
  return anyText === undefined ? known : [['', anyText], ...known];
}
