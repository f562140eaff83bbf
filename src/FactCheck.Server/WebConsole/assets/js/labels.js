// Friendly names for the API's enum values. A value the console does not know yet (a newer server) is still shown,
// in words made from its name, so new verdicts, match kinds and reasons appear without a console release.
import { h } from './dom.js';

// [label, tone]: tone picks the badge colours (good, warn, bad, neutral).
const groups = {
  verdict: {
    SUPPORTED: ['Supported', 'good'],
    SUPPORTED_IN_SUBSTANCE: ['Supported in substance', 'good'],
    PARTIALLY_SUPPORTED: ['Partially supported', 'warn'],
    MISATTRIBUTED: ['Misattributed', 'bad'],
    CONTRADICTED: ['Contradicted', 'bad'],
    NOT_FOUND: ['Not on record', 'neutral'],
  },
  quoteMatchKind: {
    EXACT: ['Exact words', 'good'],
    NEAR: ['Close variant', 'good'],
    FRAGMENT: ['Part of a longer quote', 'warn'],
    PARTIAL: ['Partial overlap', 'warn'],
    QUOTE_MATCH_KIND_PARAPHRASE: ['Same meaning, other words', 'warn'],
    QUOTE_MATCH_KIND_CONTRADICTS: ['Says the opposite', 'bad'],
  },
  reasonCode: {
    SAID_BY_OTHER: ['Said by someone else', 'bad'],
    UNNAMED_SOURCE_CREDITED: ['Unnamed sources\' words credited to a name', 'bad'],
    PARAPHRASE_AS_QUOTE: ['A paraphrase presented as a quote', 'bad'],
    SECOND_HAND_RELAY: ['Only relayed, second-hand', 'bad'],
    WRONG_TIME_OR_ROLE: ['Wrong time or role', 'bad'],
    SAID_THE_OPPOSITE: ['Said the opposite', 'bad'],
    DISOWNED_BY_REVIEW: ['Our review says they did not say it', 'bad'],
  },
  relationKind: {
    REPEATS: ['Repeats', 'neutral'],
    FRAGMENT_OF: ['Fragment of', 'neutral'],
    PARAPHRASE_OF: ['Paraphrase of', 'neutral'],
    CONTRADICTS: ['Contradicts', 'bad'],
    TRANSLATION_OF: ['Translation of', 'neutral'],
  },
  relationState: {
    SUGGESTED: ['Suggested', 'warn'],
    CONFIRMED: ['Confirmed', 'good'],
    REJECTED: ['Rejected', 'neutral'],
  },
  attributionKind: {
    DIRECT_QUOTE: ['Direct quote', 'neutral'],
    PARAPHRASE: ['Paraphrase', 'neutral'],
    UNNAMED_SOURCE: ['Unnamed source', 'neutral'],
    INSTITUTIONAL: ['Institutional', 'neutral'],
    SECOND_HAND: ['Second-hand', 'neutral'],
  },
  verificationStatus: {
    UNVERIFIED: ['Unverified', 'neutral'],
    VERIFIED: ['Verified', 'good'],
    DISPUTED: ['Disputed', 'warn'],
    MISATTRIBUTED: ['Misattributed', 'bad'],
    MISQUOTED: ['Misquoted', 'bad'],
    UNVERIFIABLE: ['Unverifiable', 'warn'],
  },
  reviewVerdict: {
    ACCURATE: ['Accurate', 'good'],
    MISATTRIBUTED: ['Misattributed', 'bad'],
    MISQUOTED: ['Misquoted', 'bad'],
    OUT_OF_CONTEXT: ['Out of context', 'warn'],
    UNVERIFIABLE: ['Unverifiable', 'warn'],
    FALSE: ['False', 'bad'],
  },
  speakerKind: {
    PERSON: ['Person', 'neutral'],
    ORGANIZATION: ['Organization', 'neutral'],
    GROUP: ['Group', 'neutral'],
  },
  nameMatchKind: {
    EXACT_NAME: ['Exact name', 'good'],
    PARTIAL_NAME: ['Part of the name', 'neutral'],
    FUZZY_NAME: ['Spelling variant', 'neutral'],
    ROLE: ['By role', 'neutral'],
  },
};

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
