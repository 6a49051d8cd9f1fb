// `dig +trace`: the walk an iterative resolver makes, done by hand and shown step by step. It starts
// at a root server (from the lab's root hints, zones.yaml) and asks each server the question with
// RD clear; a server that does not hold the answer refers it to the servers of a zone closer to the
// name (NS records in the authority section, their addresses as glue in the additional section),
// and the next question goes there. It ends at the server that answers, says the name does not
// exist, or has nothing of that type. Every step is a real exchange the capture shows.
//
// Each referral must lead strictly below the zone it came from and still contain the name
// (RFC 1034 §4.3.2), so the walk ends after at most one step per label of the name.

import { type DnsMessage, RCODE, RR_TYPE, displayName, followCnames, formatRecord, isAtOrBelow, rcodeName, sameName, typeName } from '../../../../protocols/dns';
import type { DnsServerRef, StubQueryResult, StubResolverApi } from '../../dns/stub-resolver';
import type { ShellContext } from '../shell-command';
import type { DigInvocation } from './dig-args';
import { describeServer, silenceReason, traceReceivedLine, traceShortLine } from './dig-show';

/** A name server of the zone the walk has reached, with its address when a glue record gave one. */
interface Candidate {
  name: string;
  address?: string;
}

/** How one step ended, and where the walk goes from there. */
export type TraceVerdict =
  | { kind: 'answer' }
  | { kind: 'nxdomain' }
  | { kind: 'nodata' }
  | { kind: 'referral'; zone: string; servers: Candidate[] }
  | { kind: 'stop'; why: string };

/** Reads one reply of the walk (RFC 1034 §4.3.2's cases as the querier sees them). */
export function judgeTraceReply(reply: DnsMessage, qname: string, zone: string): TraceVerdict {
  const rcode = reply.flags.rcode;
  if (rcode === RCODE.NXDOMAIN) return { kind: 'nxdomain' };
  if (rcode !== RCODE.NOERROR) return { kind: 'stop', why: `the server answered ${rcodeName(rcode)}` };
  if (reply.answers.length > 0) return { kind: 'answer' };
  const ns = reply.authorities.filter((r) => r.data.kind === 'NS');
  if (ns.length === 0) return { kind: 'nodata' };
  const child = ns[0]!.name;
  if (!isAtOrBelow(child, zone) || sameName(child, zone) || !isAtOrBelow(qname, child)) {
    return { kind: 'stop', why: `it referred the question to ${child}, which is not closer to ${qname} than ${zone} (a lame or upward referral)` };
  }
  const servers = ns
    .filter((r) => sameName(r.name, child))
    .map((r) => {
      const host = r.data.kind === 'NS' ? r.data.host : '';
      const glue = reply.additionals.find((a) => a.type === RR_TYPE.A && a.data.kind === 'A' && sameName(a.name, host));
      return glue && glue.data.kind === 'A' ? { name: host, address: glue.data.address } : { name: host };
    });
  return { kind: 'referral', zone: child, servers };
}

class TraceRun {
  constructor(
    private readonly ctx: ShellContext,
    private readonly dns: StubResolverApi,
    private readonly inv: DigInvocation,
    private readonly timeoutMs: number,
  ) {}

  private lines(lines: readonly string[]): void {
    if (lines.length > 0) this.ctx.write(lines.join('\n') + '\n');
  }

  async run(): Promise<void> {
    const roots = this.dns.rootServers();
    if (roots.length === 0) {
      this.lines([';; the lab knows no root server (zones.yaml names none), so there is nowhere to start']);
      return;
    }
    if (!this.inv.short) this.lines([`;; starting at the root: ${roots.map((r) => `${r.name} (${r.address})`).join(', ')}, from the lab's root hints (zones.yaml)`, '']);
    let zone = '.';
    let candidates: Candidate[] = roots.map((r) => ({ name: r.name, address: r.address }));
    for (;;) {
      const step = await this.askZone(zone, candidates);
      if (!step || this.ctx.signal.aborted) return;
      const { result } = step;
      this.show(result);
      const verdict = judgeTraceReply(result.response, this.inv.name, zone);
      switch (verdict.kind) {
        case 'answer':
          this.noteUnchasedAlias(result.response);
          return;
        case 'nxdomain':
        case 'nodata':
          return;
        case 'stop':
          this.lines([`;; ${result.server.name}: ${verdict.why}; the trace stops here`]);
          return;
        case 'referral':
          zone = verdict.zone;
          candidates = verdict.servers;
      }
    }
  }

  /** The answer and authority sections (glue is not shown, as in dig +trace), then where it came from. */
  private show(result: Extract<StubQueryResult, { ok: true }>): void {
    const records = [...result.response.answers, ...result.response.authorities];
    if (this.inv.short) {
      this.lines(records.map((r) => traceShortLine(r, result.server, result.rttMs)));
      return;
    }
    this.lines([...records.map((r) => formatRecord(r)), traceReceivedLine(result.responseSize, result.server, result.rttMs, result.transport), '']);
  }

  /** dig +trace does not follow a CNAME; a resolver would start again from the root for the target. */
  private noteUnchasedAlias(reply: DnsMessage): void {
    if (this.inv.type === RR_TYPE.CNAME || this.inv.short) return;
    // The whole chain the reply holds.
    const { loop, end: current } = followCnames(this.inv.name, reply.answers, { limit: reply.answers.length });
    if (loop) {
      // RFC 1034 §3.6.2: an alias loop has no canonical name; a resolver gives up (SERVFAIL).
      this.lines([`;; the aliases from ${this.inv.name} loop back to ${current}: there is no canonical name, and a resolver would answer SERVFAIL`]);
      return;
    }
    if (sameName(current, this.inv.name) || reply.answers.some((r) => r.type === this.inv.type && sameName(r.name, current))) return;
    this.lines([`;; ${this.inv.name} is an alias of ${current}; a resolver would now look up ${current} ${typeName(this.inv.type)}, from the root again`]);
  }

  /** Asks the servers of `zone` in turn until one answers. */
  private async askZone(zone: string, candidates: readonly Candidate[]): Promise<{ result: Extract<StubQueryResult, { ok: true }> } | undefined> {
    for (const candidate of candidates) {
      if (this.ctx.signal.aborted) return undefined;
      const server = await this.serverOf(candidate);
      if (!server) continue;
      const result = await this.dns.query(this.inv.name, this.inv.type, { server, recursionDesired: false, tcp: this.inv.tcp, edns: this.inv.edns, timeoutMs: this.timeoutMs });
      if (this.ctx.signal.aborted) return undefined;
      if (result.ok) return { result };
      const why = result.timedOut ? `no reply within ${this.timeoutMs / 1000} s: ${silenceReason(result.serverState)}` : `${result.reason} (${silenceReason(result.serverState)})`;
      this.lines([`;; ${describeServer(server)}: ${why}`]);
    }
    this.lines([`;; no name server of ${zone} answered; the trace stops here`]);
    return undefined;
  }

  /**
   * Where a candidate listens. Without glue its address is asked of the local resolver, as dig
   * +trace asks its default server; the lab's host list is the last resort.
   */
  private async serverOf(candidate: Candidate): Promise<DnsServerRef | undefined> {
    let address = candidate.address;
    if (address === undefined) {
      const found = await this.dns.lookupAddress(candidate.name);
      if (found.ok) {
        address = found.addresses[0]!;
        if (!this.inv.short) this.lines([`;; (no glue for ${displayName(candidate.name)}: the local resolver ${found.server.name} says it is ${address})`]);
      } else {
        const world = this.dns.findServer(candidate.name);
        if (!world.ok) {
          this.lines([`;; no address for ${displayName(candidate.name)}: ${found.reason}`]);
          return undefined;
        }
        address = world.server.address;
        if (!this.inv.short) this.lines([`;; (no glue for ${displayName(candidate.name)}, and ${found.reason}; the lab's host list says it is ${address})`]);
      }
    }
    const server = this.dns.findServer(address);
    if (!server.ok) {
      this.lines([`;; ${displayName(candidate.name)} (${address}): ${server.error}`]);
      return undefined;
    }
    return server.server;
  }
}

export function runTrace(ctx: ShellContext, dns: StubResolverApi, inv: DigInvocation, timeoutMs: number): Promise<void> {
  return new TraceRun(ctx, dns, inv, timeoutMs).run();
}
