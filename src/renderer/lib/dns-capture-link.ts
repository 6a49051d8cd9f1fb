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

/** The message among the rows the packet list holds, newest first, or null. */
export function findHeldMessage(held: HeldMessages, target: CaptureTarget, maxMessages = CONNECTION_SEARCH_MAX_MESSAGES): MessageSummary | null {
  const found: MessageSummary[] = [];
  const last = Math.max(1, held.totalMessages - maxMessages + 1);
  for (let id = held.totalMessages; id >= last; id--) {
    const m = held.getById(id);
    if (m && m.connId === target.connId && m.dir === target.dir) found.unshift(m);
  }
  return pickMessage(found, target);
}

/**
 * The message, from the held rows or else read back from the capture page by page from its end,
 * at most `maxMessages` back (a lookup's traffic is recent); null when it is not there.
 */
export async function findCaptureMessage(held: HeldMessages, pages: MessagePages, target: CaptureTarget, maxMessages = CONNECTION_SEARCH_MAX_MESSAGES, pageSize = CONNECTION_SEARCH_PAGE): Promise<MessageSummary | null> {
  const fromHeld = findHeldMessage(held, target, maxMessages);
  if (fromHeld) return fromHeld;
  const total = held.totalMessages;
  const stop = Math.max(1, total - maxMessages + 1);
  const found: MessageSummary[] = [];
  for (let to = total; to >= stop; to -= pageSize) {
    const from = Math.max(stop, to - pageSize + 1);
    const page = await pages.listMessages(from, to - from + 1);
    found.unshift(...page.filter((m) => m.connId === target.connId && m.dir === target.dir));
    // The message ID names one message of the connection: once it is found, older pages cannot hold a better one.
    if (found.some((m) => hasDnsId(m, target))) break;
  }
  return pickMessage(found, target);
}
