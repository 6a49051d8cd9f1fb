// The facts a lookup step keeps of the DNS message it carried, taken from the decoded message:
// the resolution view finds the step's packet, labels its arrow and follows referrals by them, so
// a change to how a summary is worded cannot break the view.

import { type DnsMessage, fullRcode, rcodeName, responseKind, summarizeDnsOutcome, typeName } from '../../../protocols/dns';
import type { DnsStepMessage } from '../../../shared/dns';

/** The step's facts of `m`. */
export function stepMessageOf(m: DnsMessage): DnsStepMessage {
  const q = m.questions[0];
  const facts: DnsStepMessage = { id: m.id, question: q ? { name: q.name, type: typeName(q.type) } : null, recursionDesired: m.flags.rd };
  if (!m.flags.qr) return facts;
  const kind = responseKind(m);
  return {
    ...facts,
    rcode: rcodeName(fullRcode(m)),
    ...(kind.kind === 'referral' ? { referral: { zone: kind.zone, nameServers: kind.servers } } : {}),
    outcome: summarizeDnsOutcome(m),
  };
}
