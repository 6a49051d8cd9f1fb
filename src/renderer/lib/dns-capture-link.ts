// From an arrow of the resolution view to its message in the packet list. A step knows the
// capture connection (the UDP flow or TCP connection) it crossed; the message is the one in that
// connection going the step's way: a query is sent by the connection's client (client → server),
// a reply by its server. A connection can carry several queries (a TCP connection, or a client
// that reuses its UDP socket), so the step's DNS ID, or else its question, picks one: a capture
// row has only its summary line, so they are looked for there in the words that line uses.

import { formatDnsId, formatQuestionLine } from '../../protocols/dns/summary';
import type { Direction, MessageSummary } from '../../shared/capture';
import type { DnsLookupStep, DnsStepQuestion } from '../../shared/dns';

/** How far back through the capture (in messages) the search reads when the list no longer holds the row. */
export const CONNECTION_SEARCH_MAX_MESSAGES = 5000;

/** Messages read per listMessages call during that search. */
export const CONNECTION_SEARCH_PAGE = 500;

export interface HeldMessages {
  /** Messages in the capture. */
  totalMessages: number;
  /** A message the packet list holds in memory, or undefined. */
  getById(id: number): MessageSummary | undefined;
}

export interface MessagePages {
  listMessages(fromId: number, count: number): Promise<MessageSummary[]>;
}

export interface CaptureTarget {
  connId: number;
  dir: Direction;
  /** The step's DNS message ID, when it carried a message. */
  dnsId: number | null;
  /** What the message asks, when it has a question. */
  question: DnsStepQuestion | null;
}

/** What to look for in the capture for a step, or null when it crossed no socket (a cache hit). */
export function captureTargetOf(step: Pick<DnsLookupStep, 'kind' | 'connectionId' | 'message'>): CaptureTarget | null {
  if (step.connectionId === undefined || (step.kind !== 'query' && step.kind !== 'response')) return null;
  return {
    connId: step.connectionId,
    dir: step.kind === 'query' ? 'c2s' : 's2c',
    dnsId: step.message?.id ?? null,
    question: step.message?.question ?? null,
  };
}

/** Whether a capture row's summary names the target's message ID. */
function hasDnsId(m: MessageSummary, target: CaptureTarget): boolean {
  return target.dnsId !== null && m.summary.includes(formatDnsId(target.dnsId));
}

/** Whether a capture row's summary names the target's question. */
function hasQuestion(m: MessageSummary, target: CaptureTarget): boolean {
  return target.question !== null && m.summary.includes(formatQuestionLine(target.question.type, target.question.name));
}

/** The best of the connection's messages going the step's way (the latest when nothing tells them apart). */
export function pickMessage(candidates: readonly MessageSummary[], target: CaptureTarget): MessageSummary | null {
  const ours = candidates.filter((m) => m.connId === target.connId && m.dir === target.dir);
  if (ours.length === 0) return null;
  const byId = ours.filter((m) => hasDnsId(m, target));
  if (byId.length > 0) return byId[byId.length - 1];
  const byQuestion = ours.filter((m) => hasQuestion(m, target));
  if (byQuestion.length > 0) return byQuestion[byQuestion.length - 1];
  return ours[ours.length - 1];
}

/** Candidates for several targets at once: the rows of each target's connection going its way, oldest first. */
class CandidateSets {
  private readonly byFlow = new Map<string, number[]>();
  readonly found: MessageSummary[][];

  constructor(private readonly targets: readonly CaptureTarget[]) {
    this.found = targets.map(() => []);
    targets.forEach((t, i) => {
      const key = `${t.connId}:${t.dir}`;
      this.byFlow.set(key, [...(this.byFlow.get(key) ?? []), i]);
    });
  }

  /** Files `m` with every target of its connection and direction; rows come newest first, so each goes in front. */
  addOlder(m: MessageSummary): void {
    const indexes = this.byFlow.get(`${m.connId}:${m.dir}`);
    if (indexes) for (const i of indexes) this.found[i].unshift(m);
  }

  /**
   * Whether every target has a row with its message ID: older rows cannot hold a better one. A
   * target without an ID may yet find a row with its question further back, so it never stops a search.
   */
  allIdsFound(): boolean {
    return this.targets.every((t, i) => this.found[i].some((m) => hasDnsId(m, t)));
  }

  pick(i: number): MessageSummary | null {
    return pickMessage(this.found[i], this.targets[i]);
  }
}

/** The messages among the rows the packet list holds, one per target (null where none), in one pass from the newest. */
export function findHeldMessages(held: HeldMessages, targets: readonly CaptureTarget[], maxMessages = CONNECTION_SEARCH_MAX_MESSAGES): Array<MessageSummary | null> {
  const sets = new CandidateSets(targets);
  const last = Math.max(1, held.totalMessages - maxMessages + 1);
  for (let id = held.totalMessages; id >= last; id--) {
    const m = held.getById(id);
    if (m) sets.addOlder(m);
  }
  return targets.map((_, i) => sets.pick(i));
}

/** findHeldMessages for one target. */
export function findHeldMessage(held: HeldMessages, target: CaptureTarget, maxMessages = CONNECTION_SEARCH_MAX_MESSAGES): MessageSummary | null {
  return findHeldMessages(held, [target], maxMessages)[0];
}

/**
 * The messages of several steps (a whole lookup's), one per target, null where a message is not
 * there. A target found among the held rows by its message ID (or, without an ID, by anything) is
 * taken from them; for the rest the capture is read back page by page from its end, once for all
 * of them, at most `maxMessages` back (a lookup's traffic is recent): a connection that carried
 * several queries may hold the one asked for further back than the list reaches.
 */
export async function findCaptureMessages(held: HeldMessages, pages: MessagePages, targets: readonly CaptureTarget[], maxMessages = CONNECTION_SEARCH_MAX_MESSAGES, pageSize = CONNECTION_SEARCH_PAGE): Promise<Array<MessageSummary | null>> {
  const fromHeld = findHeldMessages(held, targets, maxMessages);
  const result = fromHeld.map((m, i) => (m !== null && (targets[i].dnsId === null || hasDnsId(m, targets[i])) ? m : null));
  const missing = targets.flatMap((_, i) => (result[i] === null ? [i] : []));
  if (missing.length === 0) return result;
  const sets = new CandidateSets(missing.map((i) => targets[i]));
  const total = held.totalMessages;
  const stop = Math.max(1, total - maxMessages + 1);
  for (let to = total; to >= stop; to -= pageSize) {
    const from = Math.max(stop, to - pageSize + 1);
    const page = await pages.listMessages(from, to - from + 1);
    for (let j = page.length - 1; j >= 0; j--) sets.addOlder(page[j]);
    if (sets.allIdsFound()) break;
  }
  missing.forEach((i, k) => (result[i] = sets.pick(k) ?? fromHeld[i]));
  return result;
}

/** findCaptureMessages for one target. */
export async function findCaptureMessage(held: HeldMessages, pages: MessagePages, target: CaptureTarget, maxMessages = CONNECTION_SEARCH_MAX_MESSAGES, pageSize = CONNECTION_SEARCH_PAGE): Promise<MessageSummary | null> {
  return (await findCaptureMessages(held, pages, [target], maxMessages, pageSize))[0];
}
