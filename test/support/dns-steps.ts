// The facts of the DNS message a lookup step carried, as the lab records them
// (src/main/lab/dns/step-message.ts): for hand-written steps and for what real lookups logged.

import type { DnsStepMessage, DnsStepQuestion } from '../../src/shared/dns';

export function question(type: string, name: string): DnsStepQuestion {
  return { type, name };
}

export function queryFacts(id: number, q: DnsStepQuestion, recursionDesired: boolean): DnsStepMessage {
  return { id, question: q, recursionDesired };
}

/** A NOERROR reply that brought `outcome`; its RD is its query's (RFC 1035 §4.1.1). */
export function answerFacts(id: number, q: DnsStepQuestion, outcome: string, recursionDesired = false): DnsStepMessage {
  return { id, question: q, recursionDesired, rcode: 'NOERROR', outcome };
}

/** A referral, its outcome worded as the packet list words it. */
export function referralFacts(id: number, q: DnsStepQuestion, zone: string, nameServers: string[], recursionDesired = false): DnsStepMessage {
  return { ...answerFacts(id, q, `referral to ${zone} (${nameServers.join(', ')})`, recursionDesired), referral: { zone, nameServers } };
}
