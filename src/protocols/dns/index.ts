// DNS (RFC 1034, RFC 1035): the module the capture and the details pane use, and the sans-IO
// pieces the name servers, the local resolver and the terminal's dig are built on.
//
//   model           DnsMessage, DnsRecord, DnsRdata, tables of types, classes, opcodes, RCODEs (message.ts)
//   wire            decodeMessage (never throws, spans for the breakdown), encodeMessage (compression),
//                   encodeTcpMessage / withLengthPrefix, formatErrorResponse
//   names           parseName, normalizeName, nameKey, isAtOrBelow, ...; reverseName for PTR lookups
//   zones           parseZoneFile, loadZone, buildZone, Zone; readZoneManifest, checkHierarchy
//   aliases         followCnames: a name through its CNAME records to the canonical name
//   servers         answerQuery over a ZoneSet (RFC 1034 §4.3.2), responseSizeLimit, fitResponse
//   text            formatRecord, formatQuestion, formatRdata (dig and zone-file presentation)
//   breakdown       createDnsFramer, dissectDns, explainDns, DNS_FIELDS

import type { ProtocolModule } from '../registry-types';
import { dissectDns } from './dissect';
import { explainDns } from './explain';
import { DNS_FIELDS } from './fields';
import { createDnsFramer } from './framer';

export const dnsProtocol: ProtocolModule = {
  id: 'dns',
  title: 'DNS',
  rfc: 'RFC 1035',
  fields: DNS_FIELDS,
  createFramer: createDnsFramer,
  dissect: dissectDns,
  explain: explainDns,
};

export * from './limits';
export * from './message';
export * from './names';
export * from './cname-chain';
export * from './addresses';
export * from './decode';
export * from './encode';
export * from './presentation';
export * from './response-kind';
export * from './zone-file';
export * from './zone';
export * from './zone-manifest';
export * from './authority';
export * from './query-checks';
export { DNS_SUMMARY_MAX_CHARS, formatDnsId, formatQuestionLine, summarizeDnsMessage, summarizeDnsModel, summarizeDnsOutcome, summaryHead } from './summary';
export * from './resolver/cache';
export * from './resolver/resolve';
export { DNS_FIELDS } from './fields';
export { DnsDatagramFramer, DnsTcpFramer, createDnsFramer, dnsRole } from './framer';
export { dissectDns } from './dissect';
export { DNS_FLAG_DOCS, explainDns, explainFlag, explainRcode, explainRecordType, type DnsFlagName } from './explain';
