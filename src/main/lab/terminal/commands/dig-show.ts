// dig's way of showing a DNS reply (BIND 9's dig, whose layout students will meet elsewhere): the
// header with opcode, status and ID, the flags and the four counts, the OPT pseudo-section, each
// section in presentation format, then the query time, the server that answered and the size. The
// SERVER line also says where that world server really listens on loopback, so the same question
// can be asked with a real dig (`dig @127.0.0.1 -p 10053 ...`).

import {
  type DnsFlags,
  type DnsMessage,
  type DnsRecord,
  RR_TYPE,
  ednsOf,
  formatQuestion,
  formatRdata,
  formatRecord,
  fullRcode,
  isOpt,
  opcodeName,
  rcodeName,
  typeName,
} from '../../../../protocols/dns';
import type { ServiceState } from '../../../../shared/lab-api';
import type { DnsServerRef, StubQueryResult } from '../../dns/stub-resolver';

/** The header flags dig lists, in its order (RFC 1035 §4.1.1; AD and CD from RFC 4035 §3.2). */
const FLAG_ORDER: ReadonlyArray<keyof DnsFlags & ('qr' | 'aa' | 'tc' | 'rd' | 'ra' | 'ad' | 'cd')> = ['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'];

export function flagsText(flags: DnsFlags): string {
  return FLAG_ORDER.filter((f) => flags[f]).join(' ');
}

/** `128.238.29.22#53(dns.poly.edu)`: the world address and port, then the name, as dig writes a server. */
export function serverPlace(server: DnsServerRef): string {
  return `${server.address}#53(${server.name})`;
}

/** `dns.poly.edu (128.238.29.22, lab port 10053)`. */
export function describeServer(server: DnsServerRef): string {
  return `${server.name} (${server.address}, lab port ${server.labPort})`;
}

function sectionLines(title: string, records: readonly DnsRecord[]): string[] {
  if (records.length === 0) return [];
  return [`;; ${title} SECTION:`, ...records.map((r) => formatRecord(r)), ''];
}

/**
 * `29497 (0x7339)`: dig prints the ID in decimal; the packet list and the details tree show it in
 * hex as Wireshark does, so the header gives both and the student can match them up.
 */
export function digIdText(id: number): string {
  return `${id} (0x${id.toString(16).padStart(4, '0')})`;
}

/** The reply from `;; ->>HEADER<<-` down to the last section, as dig prints it. */
export function digMessageLines(message: DnsMessage): string[] {
  const { flags } = message;
  const additional = message.additionals.filter((r) => !isOpt(r));
  const lines = [
    `;; ->>HEADER<<- opcode: ${opcodeName(flags.opcode)}, status: ${rcodeName(fullRcode(message))}, id: ${digIdText(message.id)}`,
    `;; flags: ${flagsText(flags)}; QUERY: ${message.questions.length}, ANSWER: ${message.answers.length}, AUTHORITY: ${message.authorities.length}, ADDITIONAL: ${message.additionals.length}`,
  ];
  // A server that does not recurse says so with RA clear; dig points it out.
  if (flags.qr && flags.rd && !flags.ra) lines.push(';; WARNING: recursion requested but not available');
  lines.push('');
  const opt = message.additionals.find(isOpt);
  if (opt && ednsOf(message)) lines.push(';; OPT PSEUDOSECTION:', formatRecord(opt));
  if (message.questions.length > 0) lines.push(';; QUESTION SECTION:', ...message.questions.map(formatQuestion), '');
  else if (opt) lines.push('');
  lines.push(...sectionLines('ANSWER', message.answers), ...sectionLines('AUTHORITY', message.authorities), ...sectionLines('ADDITIONAL', additional));
  return lines;
}

/** `2 msec`: dig counts whole milliseconds. */
export function digMs(ms: number): string {
  return `${Math.round(ms)} msec`;
}

/** A successful exchange, header to MSG SIZE. */
export function digReplyLines(result: Extract<StubQueryResult, { ok: true }>): string[] {
  const lines: string[] = [];
  if (result.truncatedFirst) lines.push(';; Truncated, retrying in TCP mode.');
  lines.push(';; Got answer:', ...digMessageLines(result.response));
  lines.push(`;; Query time: ${digMs(result.rttMs)}`);
  lines.push(`;; SERVER: ${serverPlace(result.server)} (${result.transport.toUpperCase()}); in the lab: ${result.server.labAddress}#${result.server.labPort}`);
  if (result.fromResolverCache === true) lines.push(`;; ${result.server.name} answered from its cache`);
  else if (result.fromResolverCache === false) lines.push(`;; ${result.server.name} asked other name servers first (the resolution view shows each step)`);
  lines.push(`;; MSG SIZE  rcvd: ${result.responseSize}`);
  return lines;
}

/** Why a server is silent, from its state in the lab. */
export function silenceReason(state: ServiceState | undefined): string {
  switch (state) {
    case 'stopped':
      return 'its DNS service is stopped; start it in the Servers pane';
    case 'failed':
      return 'its DNS service could not start; the Servers pane says why';
    case 'starting':
      return 'its DNS service is still starting; try again in a moment';
    case 'listening':
    case undefined:
      return 'it is running but did not answer in time';
  }
}

/** No reply: dig's own line, then one naming the server and saying why, in the lab's terms. */
export function noReplyLines(result: Extract<StubQueryResult, { ok: false }>, timeoutMs: number): string[] {
  const first = result.timedOut ? ';; connection timed out; no servers could be reached' : `;; communications error to ${serverPlace(result.server)}: ${result.reason}`;
  const why = result.timedOut ? `no reply from ${describeServer(result.server)} within ${timeoutMs / 1000} s: ${silenceReason(result.serverState)}` : silenceReason(result.serverState);
  return [first, `;; (${why})`];
}

/** `+short`: the data of each answer record, one per line. */
export function digShortLines(message: DnsMessage): string[] {
  return message.answers.filter((r) => r.type !== RR_TYPE.OPT).map((r) => formatRdata(r.data));
}

/** One line of `+trace +short`: `NS a.edu-servers.net. from server a.root-servers.net(198.41.0.4) in 1 ms.` */
export function traceShortLine(record: DnsRecord, server: DnsServerRef, ms: number): string {
  return `${typeName(record.type)} ${formatRdata(record.data)} from server ${server.name}(${server.address}) in ${Math.round(ms)} ms.`;
}

/** The line under each step of `+trace`. */
export function traceReceivedLine(bytes: number, server: DnsServerRef, ms: number, transport: 'udp' | 'tcp'): string {
  const over = transport === 'tcp' ? ' over TCP' : '';
  return `;; Received ${bytes} bytes from ${server.name}(${server.address}) in ${Math.round(ms)} ms${over} (lab port ${server.labPort})`;
}
