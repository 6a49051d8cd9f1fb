// The lookups the local resolver made, each with every query and reply it caused in time order:
// what the resolution view draws. Steps are written by the side that sent each query (it knows
// where it went and what came back) and carry the capture connection the server recorded them in.

import { type DnsLookup, type DnsLookupStep, type DnsPeer, type ResolverMode, MAX_DNS_LOOKUP_STEPS, MAX_DNS_LOOKUPS } from '../../../shared/dns';

export class DnsLookupLog {
  private readonly lookups = new Map<number, DnsLookup>();
  private readonly startedAtMono = new Map<number, number>();
  private nextId = 1;
  private readonly pending = new Set<number>();
  private flushScheduled = false;

  constructor(
    private readonly now: () => number,
    /** Told of changed lookups, a batch per event-loop turn. */
    private readonly onChange: (lookup: DnsLookup) => void,
  ) {}

  start(question: string, client: DnsPeer, mode: ResolverMode): number {
    const id = this.nextId++;
    this.lookups.set(id, { id, question, client, mode, startedAt: this.now(), durationMs: null, rcode: null, answers: [], fromCache: false, steps: [] });
    this.startedAtMono.set(id, performance.now());
    while (this.lookups.size > MAX_DNS_LOOKUPS) {
      const oldest = this.lookups.keys().next().value as number;
      this.lookups.delete(oldest);
      this.startedAtMono.delete(oldest);
    }
    this.changed(id);
    return id;
  }

  private elapsed(id: number): number {
    const t0 = this.startedAtMono.get(id);
    return t0 === undefined ? 0 : Math.round((performance.now() - t0) * 1000) / 1000;
  }

  /** Adds a step; returns it so its capture connection can be filled in once the server has recorded it. */
  step(id: number | undefined, step: Omit<DnsLookupStep, 'atMs'>): DnsLookupStep | undefined {
    if (id === undefined) return undefined;
    const lookup = this.lookups.get(id);
    if (!lookup || lookup.steps.length >= MAX_DNS_LOOKUP_STEPS) return undefined;
    const added: DnsLookupStep = { atMs: this.elapsed(id), ...step };
    lookup.steps.push(added);
    this.changed(id);
    return added;
  }

  /**
   * Dates a step now: a query step is logged before its socket is ready, and the resolution view
   * should show it when it was sent, as the capture does.
   */
  retime(id: number | undefined, step: DnsLookupStep | undefined): void {
    if (id === undefined || step === undefined || !this.lookups.get(id)?.steps.includes(step)) return;
    step.atMs = this.elapsed(id);
    this.changed(id);
  }

  finish(id: number, outcome: { rcode: string; answers: string[]; fromCache: boolean; truncated?: boolean }): void {
    const lookup = this.lookups.get(id);
    if (!lookup) return;
    lookup.durationMs = this.elapsed(id);
    lookup.rcode = outcome.rcode;
    lookup.answers = outcome.answers;
    lookup.fromCache = outcome.fromCache;
    if (outcome.truncated) lookup.truncated = true;
    this.changed(id);
  }

  list(): DnsLookup[] {
    return [...this.lookups.values()].map((l) => ({ ...l, steps: [...l.steps] }));
  }

  private changed(id: number): void {
    this.pending.add(id);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const ids = [...this.pending];
      this.pending.clear();
      for (const i of ids) {
        const l = this.lookups.get(i);
        if (l) this.onChange({ ...l, steps: [...l.steps] });
      }
    });
  }
}
