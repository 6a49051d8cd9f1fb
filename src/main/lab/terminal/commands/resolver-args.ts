// The words after `resolver` (in the lab terminal and in `protolab resolver`): what to do with the
// local name server, or why the words make no sense.

import { labelsToName, parseName } from '../../../../protocols/dns/names';
import { RESOLVER_MODES, type ResolverMode } from '../../../../shared/dns';
import { RESOLVER_MODE_SENTENCE } from '../../dns/resolver-report';
import type { Definition } from '../word-wrap';

/** The subcommands, as usage lines show them. */
export const RESOLVER_SUBCOMMANDS = `[show [NAME] | flush [NAME] | mode ${RESOLVER_MODES.join('|')}]`;

/** The whole synopsis, for usage errors. */
export const RESOLVER_SYNOPSIS = `resolver ${RESOLVER_SUBCOMMANDS}`;

/** Short, like `dig NAME ...`, so `help` keeps its command column narrow; `resolver -h` shows the forms. */
export const RESOLVER_USAGE = 'resolver ...';

/** Each form and what it does, for `resolver -h` and `protolab resolver --help`. */
export const RESOLVER_FORMS: readonly Definition[] = [
  { term: 'show [NAME]', text: "where the local name server listens, its scheme, its statistics and its cache (each entry's TTL: seconds left/stored with); with NAME, that owner name's entries only" },
  { term: 'flush [NAME]', text: 'empty the cache, or forget every entry of one owner name, and say how many went' },
  ...RESOLVER_MODES.map((mode) => ({ term: `mode ${mode}`, text: `switch to the ${mode} scheme: ${RESOLVER_MODE_SENTENCE[mode]}` })),
];

/** The words that ask for the forms instead of doing anything. */
const HELP_WORDS = new Set(['-h', '--help', 'help']);

export type ResolverInvocation =
  | { action: 'show'; name: string | null }
  | { action: 'flush'; name: string | null }
  | { action: 'mode'; mode: ResolverMode };

/**
 * What to do; or, when the words do not fit, `problem` saying what is wrong with a name or a mode,
 * or nothing when the caller should show its usage line.
 */
export type ResolverArgs = { ok: true; help: true } | { ok: true; help: false; invocation: ResolverInvocation } | { ok: false; problem?: string };

/** A typed owner name as an absolute name (`gaia.cs.umass.edu.`), checked as dig checks one. */
function ownerName(text: string): { ok: true; name: string } | { ok: false; problem: string } {
  const parsed = parseName(text);
  if (!parsed.ok) return { ok: false, problem: `'${text}' is not a domain name: ${parsed.message}` };
  return { ok: true, name: labelsToName(parsed.labels) };
}

function withOptionalName(action: 'show' | 'flush', rest: readonly string[]): ResolverArgs {
  if (rest.length > 1) return { ok: false };
  if (rest.length === 0) return { ok: true, help: false, invocation: { action, name: null } };
  const name = ownerName(rest[0]!);
  return name.ok ? { ok: true, help: false, invocation: { action, name: name.name } } : { ok: false, problem: name.problem };
}

export function parseResolverArgs(args: readonly string[]): ResolverArgs {
  const [sub, ...rest] = args;
  if (sub !== undefined && HELP_WORDS.has(sub.toLowerCase())) return rest.length === 0 ? { ok: true, help: true } : { ok: false };
  switch (sub?.toLowerCase()) {
    case undefined:
      return { ok: true, help: false, invocation: { action: 'show', name: null } };
    case 'show':
      return withOptionalName('show', rest);
    case 'flush':
      return withOptionalName('flush', rest);
    case 'mode': {
      if (rest.length !== 1) return { ok: false };
      const mode = rest[0]!.toLowerCase();
      if (!RESOLVER_MODES.includes(mode as ResolverMode)) return { ok: false, problem: `the mode is ${RESOLVER_MODES.join(' or ')}, not '${rest[0]}'` };
      return { ok: true, help: false, invocation: { action: 'mode', mode: mode as ResolverMode } };
    }
    default:
      return { ok: false };
  }
}
