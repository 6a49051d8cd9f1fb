// One line per DNS message for the packet list: `Query 0x1a2b A gaia.cs.umass.edu`,
// `Response 0x1a2b A gaia.cs.umass.edu: A 128.119.245.12`, `... referral to edu. (a.edu-servers.net.)`.

import { ELLIPSIS } from '../core/summary';
import { decodeMessage } from './decode';
import { type DnsMessage, DNS_OPCODE_QUERY, opcodeName, typeName } from './message';
import { formatRdata } from './presentation';
import { responseKind } from './response-kind';

/** Characters of a DNS summary line before it is cut. */
export const DNS_SUMMARY_MAX_CHARS = 120;

/** Answers listed in a summary before "and n more". */
const SUMMARY_MAX_ANSWERS = 3;

/** A message ID as the packet list writes it: `0x6f28`. */
export function formatDnsId(id: number): string {
  return `0x${id.toString(16).padStart(4, '0')}`;
}

/** A question as the packet list writes it: `A gaia.cs.umass.edu.` (type mnemonic, then the absolute name). */
export function formatQuestionLine(type: string, name: string): string {
  return `${type} ${name}`;
}

/** The start of a packet-list line, up to the question: `Query 0x6f28 A gaia.cs.umass.edu.`, `Response STATUS 0x0001 NS .`. */
const SUMMARY_HEAD = /^(?:Query|Response)(?: [A-Z0-9]+)? 0x([0-9a-f]{4,}) (\S+ \S*?\.)(?=$|[ :])/;

/**
 * The message ID and the question a packet-list line of summarizeDnsModel begins with, or null
 * for a line that is not one (or has no question): the reader of the format beside its writer.
 */
export function summaryHead(summary: string): { id: number; question: string } | null {
  const m = SUMMARY_HEAD.exec(summary);
  return m ? { id: parseInt(m[1], 16), question: m[2] } : null;
}

function questionText(m: DnsMessage): string {
  const q = m.questions[0];
  if (!q) return 'no question';
  const more = m.questions.length > 1 ? ` (+${m.questions.length - 1} more)` : '';
  return `${formatQuestionLine(typeName(q.type), q.name)}${more}`;
}

/** What a response brought, as its packet-list line says after the question: `A 128.119.245.12`, `referral to edu. (a.edu-servers.net.)`. */
export function summarizeDnsOutcome(m: DnsMessage): string {
  return cut(outcomeText(m));
}

function outcomeText(m: DnsMessage): string {
  const kind = responseKind(m);
  switch (kind.kind) {
    case 'answer': {
      const shown = m.answers.slice(0, SUMMARY_MAX_ANSWERS).map((r) => `${typeName(r.type)} ${formatRdata(r.data)}`);
      const rest = m.answers.length - shown.length;
      return `${shown.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
    }
    case 'referral':
      return `referral to ${kind.zone} (${kind.servers.join(', ')})`;
    case 'nxdomain':
      return 'NXDOMAIN (no such name)';
    case 'nodata':
      return 'NODATA (no record of that type)';
    case 'truncated':
      return 'truncated (TC): retry over TCP';
    case 'error':
      return kind.name;
  }
}

function cut(text: string): string {
  return text.length > DNS_SUMMARY_MAX_CHARS ? `${text.slice(0, DNS_SUMMARY_MAX_CHARS - 1)}${ELLIPSIS}` : text;
}

/** The packet-list line for one DNS message (without its TCP length prefix). */
export function summarizeDnsMessage(bytes: Uint8Array, transport: 'udp' | 'tcp'): string {
  const decoded = decodeMessage(bytes, { transport });
  if (!decoded.ok) {
    const head = decoded.partial ? `${decoded.partial.flags.qr ? 'Response' : 'Query'} ${formatDnsId(decoded.partial.id)}` : 'DNS';
    return cut(`${head}, malformed: ${decoded.error.message}`);
  }
  return summarizeDnsModel(decoded.message);
}

/** The same line for a message already decoded (the summary of a lookup's step). */
export function summarizeDnsModel(m: DnsMessage): string {
  const opcode = m.flags.opcode === DNS_OPCODE_QUERY ? '' : ` ${opcodeName(m.flags.opcode)}`;
  if (!m.flags.qr) return cut(`Query${opcode} ${formatDnsId(m.id)} ${questionText(m)}${m.flags.rd ? '' : ' (no recursion)'}`);
  return cut(`Response${opcode} ${formatDnsId(m.id)} ${questionText(m)}: ${outcomeText(m)}`);
}
