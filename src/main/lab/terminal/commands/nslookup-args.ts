// What `nslookup` was asked, read as nslookup reads its command line (non-interactive mode only):
// options `-type=TYPE` (also -query=, -q=, -querytype=), `-port=PORT`, `-[no]recurse`, `-[no]vc`,
// then the name and, optionally, the server to ask. An address as the name asks for its PTR record.

import { RR_TYPE, reverseName, typeCode } from '../../../../protocols/dns';
import { checkDomainName } from '../../dns/stub-resolver';
import { unknownTypeMessage } from './dig-args';
import { MAX_PORT, portFromText } from './port-text';

export const NSLOOKUP_USAGE = 'nslookup NAME';

export const NSLOOKUP_SYNOPSIS = 'nslookup [-type=TYPE] [-port=PORT] [-norecurse] [-vc] NAME [SERVER]';

export interface NslookupInvocation {
  /** The name as the student typed it (an address for a reverse lookup). */
  typed: string;
  /** Absolute name asked for. */
  name: string;
  type: number;
  /** No -type was given: nslookup then asks for A and AAAA both. */
  defaultType: boolean;
  server?: string;
  port?: number;
  recurse: boolean;
  tcp: boolean;
}

export type NslookupArgs = { ok: true; invocation: NslookupInvocation } | { ok: false; line: string };


const TYPE_OPTIONS = new Set(['type', 'query', 'q', 'querytype', 'ty']);

function fail(message: string): NslookupArgs {
  return { ok: false, line: `nslookup: ${message}` };
}

export function parseNslookupArgs(args: readonly string[]): NslookupArgs {
  const positionals: string[] = [];
  let typeText: string | undefined;
  let port: number | undefined;
  let recurse = true;
  let tcp = false;
  for (const arg of args) {
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const m = /^-([a-z]+)(?:=(.*))?$/i.exec(arg);
    const key = m?.[1]?.toLowerCase();
    const value = m?.[2];
    if (key !== undefined && TYPE_OPTIONS.has(key) && value !== undefined) {
      typeText = value;
    } else if (key === 'port' && value !== undefined) {
      if (portFromText(value) === null) return fail(`'${value}' is not a port number (1-${MAX_PORT})`);
      port = Number(value);
    } else if ((key === 'recurse' || key === 'norecurse') && value === undefined) {
      recurse = key === 'recurse';
    } else if ((key === 'vc' || key === 'novc') && value === undefined) {
      tcp = key === 'vc';
    } else {
      return fail(`unknown option '${arg}' (try -type=MX, -port=PORT, -norecurse, -vc)`);
    }
  }
  if (positionals.length < 1 || positionals.length > 2) return { ok: false, line: `usage: ${NSLOOKUP_SYNOPSIS}  (there is no interactive mode here)` };
  const [typed, server] = positionals as [string, string | undefined];

  let type: number = RR_TYPE.A;
  if (typeText !== undefined) {
    const code = typeCode(typeText);
    if (code === null) return fail(unknownTypeMessage(typeText));
    type = code;
  }
  let nameText = typed;
  const reversed = reverseName(typed);
  // An address is looked up in reverse, as nslookup does, unless another type was asked for.
  if (reversed !== null && (typeText === undefined || type === RR_TYPE.PTR)) {
    nameText = reversed;
    type = RR_TYPE.PTR;
  }
  const checked = checkDomainName(nameText);
  if (!checked.ok) return fail(checked.message);
  const invocation: NslookupInvocation = { typed, name: checked.name, type, defaultType: typeText === undefined && type === RR_TYPE.A, recurse, tcp };
  if (server !== undefined) invocation.server = server;
  if (port !== undefined) invocation.port = port;
  return { ok: true, invocation };
}
