// The packet list's display filter: a few words, every one of which must match a message.
//
//   smtp                a protocol name, or text found in the Info, Source or Destination column
//   proto:http          exactly this protocol (also `protocol:http`)
//   "MAIL FROM"         a phrase with spaces, in double quotes
//   !daytime            negation: messages that do NOT match the word
//
// Matching ignores case. This is deliberately far smaller than Wireshark's filter language: it is
// for finding your own traffic in a busy capture, not for writing expressions.

import type { MessageSummary } from '../../shared/capture';

/** Longest filter text accepted; a filter is a few words, and this keeps each row's test cheap. */
export const MAX_FILTER_LENGTH = 200;

export type FilterTerm =
  | { kind: 'protocol'; name: string; negated: boolean }
  | { kind: 'text'; text: string; negated: boolean };

export interface DisplayFilter {
  /** The text it was parsed from, trimmed. */
  source: string;
  terms: FilterTerm[];
}

export type FilterParse = { ok: true; filter: DisplayFilter | null } | { ok: false; error: string };

const PROTOCOL_PREFIXES = ['proto:', 'protocol:'];

/** Splits on whitespace, keeping "quoted phrases" whole. */
function tokenize(text: string): { ok: true; tokens: string[] } | { ok: false; error: string } {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++;
      continue;
    }
    let token = '';
    while (i < text.length && !/\s/.test(text[i])) {
      if (text[i] === '"') {
        const close = text.indexOf('"', i + 1);
        if (close < 0) return { ok: false, error: 'a quote is not closed: add the closing "' };
        token += text.slice(i + 1, close);
        i = close + 1;
      } else {
        token += text[i++];
      }
    }
    tokens.push(token);
  }
  return { ok: true, tokens };
}

export function parseDisplayFilter(input: string): FilterParse {
  const source = input.trim();
  if (source === '') return { ok: true, filter: null };
  if (source.length > MAX_FILTER_LENGTH) {
    return { ok: false, error: `the filter is longer than ${MAX_FILTER_LENGTH} characters` };
  }
  const split = tokenize(source);
  if (!split.ok) return split;
  const terms: FilterTerm[] = [];
  for (const raw of split.tokens) {
    const negated = raw.startsWith('!');
    const body = negated ? raw.slice(1) : raw;
    if (body === '') return { ok: false, error: '"!" needs a word after it, e.g. !daytime' };
    const prefix = PROTOCOL_PREFIXES.find((p) => body.toLowerCase().startsWith(p));
    if (prefix) {
      const name = body.slice(prefix.length).toLowerCase();
      if (name === '') return { ok: false, error: `"${prefix}" needs a protocol name, e.g. ${prefix}echo` };
      terms.push({ kind: 'protocol', name, negated });
    } else {
      terms.push({ kind: 'text', text: body.toLowerCase(), negated });
    }
  }
  if (terms.length === 0) return { ok: true, filter: null };
  return { ok: true, filter: { source, terms } };
}

type Filterable = Pick<MessageSummary, 'protocol' | 'summary' | 'source' | 'destination'>;

function termMatches(term: FilterTerm, m: Filterable): boolean {
  const protocol = m.protocol.toLowerCase();
  if (term.kind === 'protocol') return protocol === term.name;
  return (
    protocol === term.text ||
    m.summary.toLowerCase().includes(term.text) ||
    m.source.toLowerCase().includes(term.text) ||
    m.destination.toLowerCase().includes(term.text)
  );
}

export function matchesFilter(filter: DisplayFilter | null, message: Filterable): boolean {
  if (!filter) return true;
  return filter.terms.every((t) => termMatches(t, message) !== t.negated);
}
