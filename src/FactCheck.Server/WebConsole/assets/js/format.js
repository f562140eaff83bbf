// Dates, times, numbers and links to resources, the same way on every page.
import { get, v1 } from './api.js';
import { h } from './dom.js';

const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });

/** A google.type.Date ({year, month, day}, any part possibly 0). */
export function day(date) {
  if (!date?.year) return '';
  if (!date.month) return String(date.year);
  if (!date.day) return `${new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }).format(Date.UTC(date.year, date.month - 1, 1))} ${date.year}`;
  return dayFormat.format(Date.UTC(date.year, date.month - 1, date.day));
}

/** An <input type="date"> value as a google.type.Date, or undefined. */
export function dateOf(value) {
  const [year, month, day] = (value ?? '').split('-').map(Number);
  return year ? { year, month, day } : undefined;
}

/** A google.protobuf.Timestamp in its JSON form (RFC 3339). */
export function time(value) {
  return value ? h('time', { datetime: value }, timeFormat.format(new Date(value))) : '';
}

export const percent = value => `${Math.round((value ?? 0) * 100)}%`;

const pages = { claims: '#/claims/', speakers: '#/speakers/' };

/** A link to the console page of `claims/{id}` or `speakers/{id}` (a claim's review links to its claim); other names are shown as text. */
export function resourceLink(name, text) {
  const [collection, id, ...rest] = (name ?? '').split('/');
  const review = collection === 'claims' && rest.length === 2 && rest[0] === 'reviews';
  if (!pages[collection] || !id || (rest.length && !review)) return h('code', {}, name);
  return h('a', { href: pages[collection] + encodeURIComponent(id) }, text ?? name);
}

const speakerNames = new Map();

/** A link to a speaker that shows the display name once known; lookups are shared, so a page's names load at once. */
export function speakerLink(name, knownText) {
  const link = resourceLink(name, knownText ?? name);
  if (knownText || !name?.startsWith('speakers/')) return link;
  if (!speakerNames.has(name)) speakerNames.set(name, get(v1(name)).then(speaker => speaker.displayName, () => null));
  speakerNames.get(name).then(displayName => { if (displayName) link.textContent = displayName; });
  return link;
}

export function rememberSpeaker(speaker) {
  if (speaker?.name && speaker.displayName) speakerNames.set(speaker.name, Promise.resolve(speaker.displayName));
}
