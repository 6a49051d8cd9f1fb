// What `dig` was asked, read from its arguments the way dig reads them: a name, a record type, a
// server after `@`, query options after `+` (`+norecurse`, `+tcp`, `+trace`, `+short`, `+noedns`,
// each also with `no` in front), and the flags `-x ADDRESS`, `-t TYPE`, `-p PORT`.

import { RR_TYPE, reverseName, typeCode } from '../../../../protocols/dns';
import { checkDomainName } from '../../dns/stub-resolver';
import type { Definition } from '../word-wrap';
import { MAX_PORT, portFromText } from './port-text';

/** The synopsis `help dig` shows (the help table keeps commands to one short column). */
export const DIG_USAGE = 'dig NAME ...';

/** The whole synopsis, the one line shown when dig is called wrongly. */
export const DIG_SYNOPSIS = 'dig NAME [TYPE] [@SERVER] [+norecurse] [+tcp] [+trace] [+short] | dig -x ADDRESS';

/** The record types a student meets in the course, named when a type is not known. */
export const COMMON_TYPES = 'A, AAAA, NS, CNAME, MX, TXT, SOA, PTR';

/** `dig -h`: what dig does, then each argument and option (laid out by wrapDefinitions). */
export const DIG_HELP_INTRO = 'Asks one name server one question and shows its whole reply, section by section, as dig does.';

export const DIG_HELP: readonly Definition[] = [
  { term: 'NAME', text: 'the domain name to look up, e.g. gaia.cs.umass.edu' },
  { term: 'TYPE', text: `the record type (default A): ${COMMON_TYPES}, ...` },
  { term: '@SERVER', text: 'the name server to ask, by name or address (default: the local resolver); @127.0.0.1 -p PORT asks the lab server on that loopback port' },
  { term: '-x ADDRESS', text: 'reverse lookup: the PTR record of ADDRESS, under in-addr.arpa' },
  { term: '-t TYPE', text: 'the record type, as an option' },
  { term: '-p PORT', text: 'the port of @SERVER' },
  { term: '+norecurse', text: 'clear RD: the server answers from what it holds, without asking others (also +norec)' },
  { term: '+tcp', text: 'ask over TCP instead of UDP (also +vc)' },
  { term: '+trace', text: 'walk the hierarchy from a root server, following each referral, as an iterative resolver does' },
  { term: '+short', text: 'only the data of the answer' },
  { term: '+noedns', text: 'send no OPT record: a reply over 512 bytes then comes back truncated (TC) and dig asks again over TCP' },
];

export interface DigInvocation {
  /** Absolute name, e.g. `gaia.cs.umass.edu.`. */
  name: string;
  type: number;
  /** The address given with -x. */
  reverseOf?: string;
  /** As typed after `@`. */
  server?: string;
  port?: number;
  recurse: boolean;
  tcp: boolean;
  trace: boolean;
  short: boolean;
  edns: boolean;
}

/** Either what to do, or the one line to show instead (a usage line or an error). */
export type DigArgs = { ok: true; help: true } | { ok: true; help: false; invocation: DigInvocation } | { ok: false; line: string };

const USAGE_LINE = `usage: ${DIG_SYNOPSIS}`;


type Switch = 'recurse' | 'tcp' | 'trace' | 'short' | 'edns';

/** Query options by keyword, with dig's own short forms. */
const SWITCHES: ReadonlyMap<string, Switch> = new Map([
  ['recurse', 'recurse'],
  ['rec', 'recurse'],
  ['tcp', 'tcp'],
  ['vc', 'tcp'],
  ['trace', 'trace'],
  ['short', 'short'],
  ['edns', 'edns'],
]);

function fail(message: string): DigArgs {
  return { ok: false, line: `dig: ${message}` };
}

export function unknownTypeMessage(text: string): string {
  return `'${text}' is not a record type (try ${COMMON_TYPES})`;
}

export function parseDigArgs(args: readonly string[]): DigArgs {
  const switches: Record<Switch, boolean> = { recurse: true, tcp: false, trace: false, short: false, edns: true };
  const positionals: string[] = [];
  let server: string | undefined;
  let port: number | undefined;
  let reverseOf: string | undefined;
  let typeOption: string | undefined;

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('@')) {
      if (arg.length === 1) return fail("'@' needs a server after it, e.g. @dns.cs.umass.edu");
      if (server !== undefined) return fail(`one server at a time (@${server} and ${arg})`);
      server = arg.slice(1);
    } else if (arg.startsWith('+')) {
      const m = /^\+(no)?([a-z]+)$/i.exec(arg);
      const which = m ? SWITCHES.get(m[2]!.toLowerCase()) : undefined;
      if (!m || !which) return fail(`unknown option '${arg}' ('dig -h' lists the options)`);
      switches[which] = m[1] === undefined;
    } else if (arg === '-h' || arg === '--help') {
      return { ok: true, help: true };
    } else if (arg === '-x' || arg === '-p' || arg === '-t') {
      const value = args[++i];
      if (value === undefined) return fail(`${arg} needs ${arg === '-x' ? 'an address' : arg === '-p' ? 'a port number' : 'a record type'} after it`);
      if (arg === '-x') reverseOf = value;
      else if (arg === '-t') typeOption = value;
      else {
        const p = portFromText(value);
        if (p === null) return fail(`'${value}' is not a port number (1-${MAX_PORT})`);
        port = p;
      }
    } else if (arg.startsWith('-') && arg.length > 1) {
      return fail(`unknown option '${arg}' ('dig -h' lists the options)`);
    } else {
      positionals.push(arg);
    }
  }

  let nameText: string | undefined;
  let typeText = typeOption;
  if (reverseOf !== undefined) {
    if (positionals.length > 1 || (positionals.length === 1 && typeText !== undefined)) return { ok: false, line: USAGE_LINE };
    if (positionals.length === 1) typeText = positionals[0];
  } else if (positionals.length === 1) {
    nameText = positionals[0];
  } else if (positionals.length === 2 && typeText === undefined) {
    const [first, second] = positionals as [string, string];
    // dig takes the type before or after the name.
    if (typeCode(second) === null && typeCode(first) !== null) [typeText, nameText] = [first, second];
    else [nameText, typeText] = [first, second];
  } else {
    return { ok: false, line: USAGE_LINE };
  }

  let type: number = reverseOf !== undefined ? RR_TYPE.PTR : RR_TYPE.A;
  if (typeText !== undefined) {
    const code = typeCode(typeText);
    if (code === null) return fail(unknownTypeMessage(typeText));
    type = code;
  }

  if (reverseOf !== undefined) {
    const reversed = reverseName(reverseOf);
    if (reversed === null) return fail(`'${reverseOf}' is not an IPv4 or IPv6 address`);
    nameText = reversed;
  }
  const checked = checkDomainName(nameText!);
  if (!checked.ok) return fail(checked.message);

  const invocation: DigInvocation = { name: checked.name, type, ...switches };
  if (reverseOf !== undefined) invocation.reverseOf = reverseOf;
  if (server !== undefined) invocation.server = server;
  if (port !== undefined) invocation.port = port;
  return { ok: true, help: false, invocation };
}
