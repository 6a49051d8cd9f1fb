import { describe, expect, it } from 'vitest';
import type { CaptureBatch, MessageSummary } from '../../../src/shared/capture';
import { parseDisplayFilter, type DisplayFilter } from '../../../src/renderer/lib/display-filter';
import {
  FILTER_SCAN_PAGE,
  LIST_PAGE_SIZE,
  MAX_PAGES_IN_FLIGHT,
  PACKET_WINDOW_ROWS,
  PACKET_WINDOW_SLACK,
  PAGE_RETRY_MS,
  PacketStore,
  type MessageSource,
} from '../../../src/renderer/lib/packet-store';

/** Message n of a test capture: odd ids are echo requests, even ids their replies; every 10th is daytime. */
function message(id: number): MessageSummary {
  const daytime = id % 10 === 0;
  return {
    id,
    connId: Math.ceil(id / 2),
    protocol: daytime ? 'daytime' : 'echo',
    transport: 'tcp',
    dir: id % 2 ? 'c2s' : 's2c',
    role: id % 2 ? 'request' : 'response',
    t: id,
    length: 7,
    summary: daytime ? 'the time' : `line ${id}`,
    source: 'cis.poly.edu:40000',
    destination: 'gaia.cs.umass.edu:7',
  };
}

function batch(from: number, to: number, answers: Array<[number, number]> = [], unanswered: number[] = []): CaptureBatch {
  const messages: MessageSummary[] = [];
  for (let id = from; id <= to; id++) messages.push(message(id));
  return { connections: [], messages, answers, unanswered, totalMessages: to };
}

/** A journal of `total` messages that answers listMessages when told to. */
class Journal implements MessageSource {
  calls: Array<[number, number]> = [];
  private waiting: Array<{ from: number; count: number; resolve: (rows: MessageSummary[]) => void; reject: (e: Error) => void }> = [];
  constructor(public total: number, private readonly auto = false) {}

  listMessages(fromId: number, count: number): Promise<MessageSummary[]> {
    this.calls.push([fromId, count]);
    return new Promise((resolve, reject) => {
      const job = { from: fromId, count, resolve, reject };
      if (this.auto) this.answer(job);
      else this.waiting.push(job);
    });
  }

  private answer(job: { from: number; count: number; resolve: (rows: MessageSummary[]) => void }): void {
    const rows: MessageSummary[] = [];
    for (let id = job.from; id < job.from + job.count && id <= this.total; id++) rows.push(message(id));
    job.resolve(rows);
  }

  get pending(): number {
    return this.waiting.length;
  }

  answerAll(): void {
    const jobs = this.waiting;
    this.waiting = [];
    for (const j of jobs) this.answer(j);
  }

  failAll(reason: string): void {
    const jobs = this.waiting;
    this.waiting = [];
    for (const j of jobs) j.reject(new Error(reason));
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await settle();
  if (!check()) throw new Error('condition never became true');
}

function filter(text: string): DisplayFilter {
  const r = parseDisplayFilter(text);
  if (!r.ok || !r.filter) throw new Error('bad filter in test');
  return r.filter;
}

describe('PacketStore', () => {
  it('shows live messages as rows, message n in row n-1', () => {
    const store = new PacketStore(new Journal(0));
    let notified = 0;
    store.subscribe(() => notified++);
    store.applyBatch(batch(1, 3));
    expect(store.rowCount).toBe(3);
    expect(store.rowAt(0)?.id).toBe(1);
    expect(store.idAt(2)).toBe(3);
    expect(store.idAt(3)).toBeUndefined();
    expect(store.indexOfId(2)).toBe(1);
    expect(store.indexOfId(9)).toBe(-1);
    expect(notified).toBe(1);
    expect(store.getVersion()).toBe(1);
  });

  it('keeps at most PACKET_WINDOW_ROWS rows however long the capture grows, and keeps the newest', () => {
    expect(PACKET_WINDOW_ROWS).toBe(5000);
    const store = new PacketStore(new Journal(0));
    store.applyBatch(batch(1, PACKET_WINDOW_ROWS));
    expect(store.heldRows).toBe(PACKET_WINDOW_ROWS);
    // One more row crosses the limit: the window drops the slack at once.
    store.ensureRows(PACKET_WINDOW_ROWS - 40, PACKET_WINDOW_ROWS - 1);
    store.applyBatch(batch(PACKET_WINDOW_ROWS + 1, PACKET_WINDOW_ROWS + 1));
    expect(store.heldRows).toBe(PACKET_WINDOW_ROWS - PACKET_WINDOW_SLACK);
    for (let start = PACKET_WINDOW_ROWS + 2; start < 60_000; start += 1000) {
      store.ensureRows(start - 41, start - 2);
      store.applyBatch(batch(start, start + 999));
      expect(store.heldRows).toBeLessThanOrEqual(PACKET_WINDOW_ROWS);
    }
    expect(store.totalMessages).toBe(60_001);
    expect(store.rowAt(60_000)?.id).toBe(60_001);
    expect(store.getById(1)).toBeUndefined();
  });

  it('never drops the rows on screen, even when they are the oldest', () => {
    const store = new PacketStore(new Journal(0), { windowRows: 100, slack: 10 });
    store.applyBatch(batch(1, 100));
    store.ensureRows(0, 19);
    store.applyBatch(batch(101, 150));
    for (let id = 1; id <= 20; id++) expect(store.getById(id)).toBeDefined();
    expect(store.heldRows).toBeLessThanOrEqual(100);
    // The rows farthest from the screen went first.
    expect(store.getById(150)).toBeUndefined();
    expect(store.getById(21)).toBeDefined();
  });

  it('reads rows back from the journal a page at a time when the user scrolls into history', async () => {
    const journal = new Journal(20_000);
    const store = new PacketStore(journal);
    store.noteTotal(20_000);
    expect(store.rowAt(0)).toBeUndefined();
    store.ensureRows(0, 30);
    expect(journal.calls).toEqual([[1, LIST_PAGE_SIZE]]);
    // Asking again while the page is in flight asks nothing more.
    store.ensureRows(0, 30);
    expect(journal.calls).toHaveLength(1);
    journal.answerAll();
    await settle();
    expect(store.rowAt(0)?.id).toBe(1);
    expect(store.rowAt(30)?.summary).toBe('line 31');
    // A range across a page boundary asks for both pages; the last page is cut at the total.
    store.ensureRows(LIST_PAGE_SIZE - 5, LIST_PAGE_SIZE + 5);
    expect(journal.calls.slice(1)).toEqual([[LIST_PAGE_SIZE + 1, LIST_PAGE_SIZE]]);
    store.ensureRows(19_990, 19_999);
    expect(journal.calls[2]).toEqual([19_801, LIST_PAGE_SIZE]);
  });

  it('has at most MAX_PAGES_IN_FLIGHT reads out at once', () => {
    const journal = new Journal(100_000);
    const store = new PacketStore(journal);
    store.noteTotal(100_000);
    store.ensureRows(0, LIST_PAGE_SIZE * (MAX_PAGES_IN_FLIGHT + 3));
    expect(journal.pending).toBe(MAX_PAGES_IN_FLIGHT);
  });

  it('does not re-ask for a failed page before PAGE_RETRY_MS, and says why it is missing', async () => {
    let now = 0;
    const journal = new Journal(1000);
    const store = new PacketStore(journal, { now: () => now });
    store.noteTotal(1000);
    store.ensureRows(0, 10);
    journal.failAll('journal is locked');
    await settle();
    expect(store.error).toBe(`could not read messages #1–#${LIST_PAGE_SIZE} back: journal is locked`);
    store.ensureRows(0, 10);
    expect(journal.calls).toHaveLength(1);
    now += PAGE_RETRY_MS;
    store.ensureRows(0, 10);
    expect(journal.calls).toHaveLength(2);
    journal.answerAll();
    await settle();
    expect(store.error).toBeNull();
    expect(store.rowAt(0)?.id).toBe(1);
  });

  it('ignores pages that arrive after a reset (the link to the core was re-established)', async () => {
    const journal = new Journal(1000);
    const store = new PacketStore(journal);
    store.noteTotal(1000);
    store.ensureRows(0, 10);
    store.reset();
    expect(store.rowCount).toBe(0);
    journal.answerAll();
    await settle();
    expect(store.heldRows).toBe(0);
  });

  it('records answers on requests, also for a request whose row was still being read', async () => {
    const journal = new Journal(10);
    const store = new PacketStore(journal);
    store.applyBatch(batch(1, 2, [[1, 2]]));
    expect(store.getById(1)?.answeredBy).toBe(2);
    store.noteTotal(400);
    store.ensureRows(300, 310);
    store.applyBatch({ connections: [], messages: [], answers: [[301, 302]], unanswered: [], totalMessages: 400 });
    journal.total = 400;
    journal.answerAll();
    await settle();
    expect(store.getById(301)?.answeredBy).toBe(302);
  });

  it('marks a request whose connection ended with no response, also when its row was still being read', async () => {
    const journal = new Journal(10);
    const store = new PacketStore(journal);
    store.applyBatch(batch(1, 3, [], [1]));
    expect(store.getById(1)?.noReply).toBe(true);
    expect(store.getById(2)?.noReply).toBeUndefined();
    store.noteTotal(400);
    store.ensureRows(300, 310);
    store.applyBatch({ connections: [], messages: [], answers: [], unanswered: [305], totalMessages: 400 });
    journal.total = 400;
    journal.answerAll();
    await settle();
    expect(store.getById(305)?.noReply).toBe(true);
    expect(store.getById(304)?.noReply).toBeUndefined();
    // An answer is the last word: the mark goes.
    store.applyBatch({ connections: [], messages: [], answers: [[1, 9]], unanswered: [], totalMessages: 400 });
    expect(store.getById(1)).toMatchObject({ answeredBy: 9, noReply: undefined });
  });

  it('filters the whole capture by scanning the journal, then follows live messages', async () => {
    const total = FILTER_SCAN_PAGE * 2 + 500;
    const journal = new Journal(total, true);
    const store = new PacketStore(journal);
    store.noteTotal(total);
    store.setFilter(filter('daytime'));
    await until(() => !store.scanProgress.running);
    expect(journal.calls).toEqual([
      [1, FILTER_SCAN_PAGE],
      [FILTER_SCAN_PAGE + 1, FILTER_SCAN_PAGE],
      [FILTER_SCAN_PAGE * 2 + 1, 500],
    ]);
    expect(store.rowCount).toBe(total / 10);
    expect(store.idAt(0)).toBe(10);
    expect(store.rowAt(0)?.protocol).toBe('daytime');
    expect(store.indexOfId(2500)).toBe(249);
    expect(store.indexOfId(2501)).toBe(-1);
    expect(store.scanProgress).toEqual({ checked: total, total, running: false });

    store.applyBatch(batch(total + 1, total + 10));
    expect(store.rowCount).toBe(total / 10 + 1);
    expect(store.idAt(store.rowCount - 1)).toBe(total + 10);
    expect(journal.calls).toHaveLength(3);
  });

  it('restarts the scan when the filter changes and shows everything again when it is cleared', async () => {
    const journal = new Journal(100, true);
    const store = new PacketStore(journal);
    store.noteTotal(100);
    store.setFilter(filter('daytime'));
    store.setFilter(filter('"line 7"'));
    await until(() => !store.scanProgress.running);
    // line 7, line 71, ..., line 79 (not 70: daytime)
    expect(Array.from({ length: store.rowCount }, (_, i) => store.idAt(i))).toEqual([7, 71, 72, 73, 74, 75, 76, 77, 78, 79]);
    store.setFilter(null);
    expect(store.rowCount).toBe(100);
    expect(store.idAt(99)).toBe(100);
  });

  it('stops scanning when the journal has nothing yet, and resumes with the next batch', async () => {
    const journal = new Journal(0, true);
    const store = new PacketStore(journal);
    store.noteTotal(50);
    store.setFilter(filter('daytime'));
    await until(() => !store.scanProgress.running);
    expect(store.scanProgress.checked).toBe(0);
    journal.total = 60;
    store.applyBatch(batch(60, 60));
    await until(() => !store.scanProgress.running && store.scanProgress.checked === 60);
    expect(store.rowCount).toBe(6);
  });
});

describe('PacketStore column extents', () => {
  it('follow the rows it is given and start over on reset', () => {
    const store = new PacketStore(new Journal(0, true));
    const long = { ...message(1), source: 'www-net.cs.umass.edu:49152' };
    store.applyBatch({ connections: [], messages: [long, message(2)], answers: [], unanswered: [], totalMessages: 2 });
    expect(store.columnExtents.endpointChars).toBe('www-net.cs.umass.edu:49152'.length);
    expect(store.columnExtents.protocolChars).toBe('echo'.length);
    store.reset();
    expect(store.columnExtents.endpointChars).toBe(20);
  });
});
