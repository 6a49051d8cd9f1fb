// nslookup's way of showing an answer (as BIND 9's nslookup prints it): the server first, then
// "Non-authoritative answer:" unless the server owns the zone, then one line per record in words
// ("canonical name =", "mail exchanger =", "nameserver ="), or "** server can't find NAME: NXDOMAIN".

import { type DnsMessage, type DnsRecord, RCODE, displayName, formatRdata, rcodeName, typeName } from '../../../../protocols/dns';
import type { DnsServerRef } from '../../dns/stub-resolver';

export function nslookupServerLines(server: DnsServerRef): string[] {
  return [`Server:\t\t${server.name}`, `Address:\t${server.address}#53 (lab: ${server.labAddress}#${server.labPort})`, ''];
}

/** One record in nslookup's words; A and AAAA take two lines, SOA eight. */
export function nslookupRecordLines(record: DnsRecord): string[] {
  const owner = displayName(record.name);
  const d = record.data;
  switch (d.kind) {
    case 'A':
    case 'AAAA':
      return [`Name:\t${owner}`, `Address: ${d.address}`];
    case 'CNAME':
      return [`${owner}\tcanonical name = ${d.target}`];
    case 'MX':
      return [`${owner}\tmail exchanger = ${d.preference} ${d.exchange}`];
    case 'NS':
      return [`${owner}\tnameserver = ${d.host}`];
    case 'PTR':
      return [`${owner}\tname = ${d.host}`];
    case 'TXT':
      return [`${owner}\ttext = ${formatRdata(d)}`];
    case 'SOA':
      return [
        owner,
        `\torigin = ${displayName(d.mname)}`,
        `\tmail addr = ${displayName(d.rname)}`,
        `\tserial = ${d.serial}`,
        `\trefresh = ${d.refresh}`,
        `\tretry = ${d.retry}`,
        `\texpire = ${d.expire}`,
        `\tminimum = ${d.minimum}`,
      ];
    case 'OPT':
    case 'raw':
      return [`${owner}\t${typeName(record.type)} = ${formatRdata(d)}`];
  }
}

/** A referral: the servers the reply points to, with their glue addresses. */
function referralLines(reply: DnsMessage): string[] {
  const ns = reply.authorities.filter((r) => r.data.kind === 'NS');
  if (ns.length === 0) return [];
  const glue = reply.additionals.filter((r) => r.data.kind === 'A' || r.data.kind === 'AAAA');
  return ['', 'Authoritative answers can be found from:', ...ns.flatMap(nslookupRecordLines), ...glue.map((r) => `${displayName(r.name)}\tinternet address = ${formatRdata(r.data)}`)];
}

/**
 * The answer part for `name`, from the replies to each type asked (A then AAAA when no type was
 * given). The first reply decides a failure; records that appear in several replies (the CNAME
 * before both the A and the AAAA records) are shown once.
 */
export function nslookupAnswerLines(name: string, replies: readonly DnsMessage[]): string[] {
  const first = replies[0];
  if (!first) return [];
  const shown = displayName(name);
  const rcode = first.flags.rcode;
  if (rcode !== RCODE.NOERROR) return [`** server can't find ${shown}: ${rcodeName(rcode)}`, ''];
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const reply of replies) {
    for (const record of reply.answers) {
      const key = `${record.name}|${record.type}|${formatRdata(record.data)}`.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push(...nslookupRecordLines(record));
    }
  }
  if (lines.length === 0) return [`*** Can't find ${shown}: No answer`, ...referralLines(first), ''];
  return [...(first.flags.aa ? [] : ['Non-authoritative answer:']), ...lines, ''];
}
