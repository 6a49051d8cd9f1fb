// From an arrow of the resolution view to its message in the packet list. A step knows the
// capture connection (the UDP flow or TCP connection) it crossed; the message is the one in that
// connection going the step's way: a query is sent by the connection's client (client → server),
// a reply by its server. A connection can carry several queries (a TCP connection, or a client
// that reuses its UDP socket), so the step's DNS ID, or else its question, picks one: a capture
// row has only its summary line, so they are looked for there in the words that line uses.

import { formatQuestionLine, summaryHead } from '../../protocols/dns/summary';
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

/**
 * Whether a capture row is the target's message: its line begins with the target's message ID
 * and, when the step has one, its question (RFC 1035 §4.1.1: a reply repeats both), read from
 * the head of the line only, so an A question is not found in an AAAA row nor an ID in a TXT string.
 */
function isTargetMessage(m: MessageSummary, target: CaptureTarget): boolean {
  if (target.dnsId === null) return false;
  const head = summaryHead(m.summary);
  if (head === null || head.id !== target.dnsId) return false;
  return target.question === null || head.question.toLowerCase() === formatQuestionLine(target.question.type, target.question.name).toLowerCase();
}

/**
 * The connection's message going the step's way: for a step that knows its message ID, the latest
 * row with that ID and question, or null while the capture has none (the step's event can come
 * before the capture's); without an ID, the latest row of the connection that way.
 */
export function pickMessage(candidates: readonly MessageSummary[], target: CaptureTarget): MessageSummary | null {
  const ours = candidates.filter((m) => m.connId === target.connId && m.dir === target.dir && (target.dnsId === null || isTargetMessage(m, target)));
  return ours.length > 0 ? ours[ours.length - 1] : null;
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

  /** Whether every target that knows its message ID has found it: older rows cannot hold a better one. */
  allIdsFound(): boolean {
    return this.targets.every((t, i) => t.dnsId !== null && this.found[i].some((m) => isTargetMessage(m, t)));
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
 * there (yet). The held rows are looked at first; for targets not found among them, the capture
 * is read back page by page from below the newest run of held rows, at most `maxMessages` back
 * from its end (a lookup's traffic is recent), once for all of them: a connection that carried
 * several queries may hold the one asked for further back than the list reaches.
 */
export async function findCaptureMessages(held: HeldMessages, pages: MessagePages, targets: readonly CaptureTarget[], maxMessages = CONNECTION_SEARCH_MAX_MESSAGES, pageSize = CONNECTION_SEARCH_PAGE): Promise<Array<MessageSummary | null>> {
  const result = findHeldMessages(held, targets, maxMessages);
  const missing = targets.flatMap((_, i) => (result[i] === null ? [i] : []));
  if (missing.length === 0) return result;
  const stop = Math.max(1, held.totalMessages - maxMessages + 1);
  // The newest rows the list holds were searched already: reading them again could find nothing new.
  let top = held.totalMessages;
  while (top >= stop && held.getById(top) !== undefined) top--;
  const sets = new CandidateSets(missing.map((i) => targets[i]));
  for (let to = top; to >= stop; to -= pageSize) {
    const from = Math.max(stop, to - pageSize + 1);
    const page = await pages.listMessages(from, to - from + 1);
    for (let j = page.length - 1; j >= 0; j--) sets.addOlder(page[j]);
    if (sets.allIdsFound()) break;
  }
  missing.forEach((i, k) => (result[i] = sets.pick(k)));
  return result;
}

/** findCaptureMessages for one target. */
export async function findCaptureMessage(held: HeldMessages, pages: MessagePages, target: CaptureTarget, maxMessages = CONNECTION_SEARCH_MAX_MESSAGES, pageSize = CONNECTION_SEARCH_PAGE): Promise<MessageSummary | null> {
  return (await findCaptureMessages(held, pages, [target], maxMessages, pageSize))[0];
}
