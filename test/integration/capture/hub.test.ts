import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptureBatch, Endpoint } from '../../../src/shared/capture';
import { base64ToBytes, bytesToLatin1 } from '../../../src/protocols/core/bytes';
import { CaptureHub, type CaptureHubOptions } from '../../../src/main/lab/capture/hub';
import { CaptureJournal } from '../../../src/main/lab/capture/journal';
import { MAX_RING_CHUNK_BYTES } from '../../../src/main/lab/capture/event-ring';
import { captureWorkerLaunch } from '../../../src/main/lab/capture/worker-launch';

const here = path.dirname(fileURLToPath(import.meta.url));
const endpoint: Endpoint = { address: '127.0.0.1', port: 10007, virtualAddress: '128.119.245.12', virtualPort: 7, hostname: 'gaia.cs.umass.edu' };
const client: Endpoint = { address: '127.0.0.1', port: 50000, virtualAddress: '128.238.2.93', virtualPort: 50000, hostname: 'cis.poly.edu' };

let dir: string;
const hubs: CaptureHub[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-hub-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const h of hubs.splice(0)) await h.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
});

function hub(options: Partial<CaptureHubOptions> = {}): { hub: CaptureHub; batches: CaptureBatch[] } {
  const batches: CaptureBatch[] = [];
  const h = new CaptureHub({ journalPath: path.join(dir, 'capture.journal'), onBatch: (b) => batches.push(b), ...options });
  hubs.push(h);
  return { hub: h, batches };
}

function openEcho(h: CaptureHub): number {
  return h.open({ transport: 'tcp', protocol: 'echo', side: 'server', serviceId: 'gaia.cs.umass.edu/echo/tcp', client, server: endpoint }).id;
}

const bytes = (text: string) => Buffer.from(text, 'latin1');

async function until(probe: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the capture hub', () => {
  it('records in the worker thread: messages, their bytes, pairing, connections, totals', async () => {
    const { hub: h } = hub();
    await h.ready;
    expect(h.processing).toBe('worker');
    const id = openEcho(h);
    h.data(id, 'c2s', bytes('hello\r\nwor'));
    h.data(id, 'c2s', bytes('ld\r\n'));
    h.data(id, 's2c', bytes('hello\r\nworld\r\n'));
    h.close(id, 'client');
    const list = await h.listMessages(1, 10);
    expect(list.map((m) => [m.id, m.dir, m.role, m.length, m.responseTo, m.answeredBy])).toEqual([
      [1, 'c2s', 'request', 7, undefined, 3],
      [2, 'c2s', 'request', 7, undefined, 4],
      [3, 's2c', 'response', 7, 1, undefined],
      [4, 's2c', 'response', 7, 2, undefined],
    ]);
    const across = await h.getMessage(2);
    expect(bytesToLatin1(base64ToBytes(across!.bytes))).toBe('world\r\n'); // cut from two chunks
    expect(across!.conn).toMatchObject({ id, state: 'closed' });
    expect(await h.listConnections()).toMatchObject([{ id, state: 'closed' }]);
    expect(await h.stats()).toMatchObject({ totalMessages: 4, totalEvents: 5, totalBytes: 28, journalPath: path.join(dir, 'capture.journal') });
    expect(await h.getMessage(99)).toBeNull();
  });

  it('sends live batches only while someone holds them, from that point of the stream on', async () => {
    const { hub: h, batches } = hub();
    const id = openEcho(h);
    h.data(id, 'c2s', bytes('unseen\r\n'));
    const release = h.holdLiveBatches();
    h.data(id, 'c2s', bytes('seen\r\n'));
    await until(() => batches.some((b) => b.messages.length > 0), 'a live batch');
    release();
    h.data(id, 'c2s', bytes('after\r\n'));
    await h.stats();
    await new Promise((r) => setTimeout(r, 50));
    const live = batches.flatMap((b) => b.messages.map((m) => m.summary));
    expect(live).toEqual(['"seen\\r\\n" (6 bytes)']);
    expect(batches.at(-1)!.totalMessages).toBe(2);
    expect((await h.stats()).totalMessages).toBe(3);
  });

  it('flushes everything on shutdown: the journal then holds every event and message, each byte once', async () => {
    const { hub: h } = hub();
    const id = openEcho(h);
    const line = `${'x'.repeat(100)}\r\n`;
    for (let i = 0; i < 50; i++) h.data(id, i % 2 ? 's2c' : 'c2s', bytes(line));
    const stillOpen = openEcho(h);
    await h.shutdown();
    const records = [...CaptureJournal.read(path.join(dir, 'capture.journal'))];
    expect(records.filter((r) => r.kind === 'message')).toHaveLength(50);
    expect(records.filter((r) => r.kind === 'event' && r.event.type === 'data')).toHaveLength(50);
    // The connection still open when the lab stopped ends with a reset by the lab.
    expect(records.at(-1)).toMatchObject({ kind: 'event', event: { type: 'reset', connId: stillOpen, reason: 'the lab stopped' } });
    const onDisk = fs.readFileSync(path.join(dir, 'capture.journal'));
    let copies = 0;
    for (let at = onDisk.indexOf('xxxxxxxxxx'); at >= 0; at = onDisk.indexOf(line, at + line.length)) copies++;
    expect(copies).toBe(50);
    await expect(h.listMessages(1, 1)).rejects.toThrow(/capture has stopped/);
  });

  it('splits a write longer than MAX_RING_CHUNK_BYTES into events and keeps every byte', async () => {
    const { hub: h } = hub({ processing: 'thread' });
    const id = openEcho(h);
    const big = Buffer.alloc(MAX_RING_CHUNK_BYTES * 2 + 10, 'b');
    big.write('\r\n', big.length - 2);
    h.data(id, 'c2s', big);
    const stats = await h.stats();
    expect(stats.totalEvents).toBe(1 + 3);
    expect(stats.totalBytes).toBe(big.length);
  });

  it('falls back to this thread with one warning when the worker cannot start, and still records', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { hub: h } = hub({ workerLaunch: () => ({ script: pathToFileURL(path.join(dir, 'no-such-worker.js')), options: {} }) });
    const id = openEcho(h); // before the failure is known: kept in the ring
    h.data(id, 'c2s', bytes('early\r\n'));
    await h.ready;
    expect(h.processing).toBe('thread');
    h.data(id, 'c2s', bytes('late\r\n'));
    expect((await h.listMessages(1, 5)).map((m) => m.length)).toEqual([7, 6]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/^protolab: the capture worker could not start \(.*\); capturing on the main thread instead$/);
  });

  it('falls back as well when the launch itself fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { hub: h } = hub({
      workerLaunch: () => {
        throw new Error('no capture-worker.js beside core.js');
      },
    });
    await h.ready;
    expect(h.processing).toBe('thread');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('no capture-worker.js beside core.js'));
  });

  it('rejects ready and every query when the journal cannot be opened', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { hub: h } = hub({ journalPath: path.join(dir, 'missing-folder', 'capture.journal') });
    await expect(h.ready).rejects.toThrow(/the capture could not start/);
    await expect(h.listMessages(1, 1)).rejects.toThrow(/not running/);
    expect(error).toHaveBeenCalledTimes(1);
  });

  it('pauses the taps when the recorder falls behind, never drops, and resumes once it caught up', async () => {
    // A worker that reads nothing for its first 300 ms (fixtures/capture-worker.ts); a 4 MiB ring.
    const stalled = pathToFileURL(path.join(here, 'fixtures', 'launch.ts')).href;
    const { hub: h } = hub({ ringBytes: 4 * MAX_RING_CHUNK_BYTES, workerLaunch: () => captureWorkerLaunch(stalled) });
    await h.ready;
    const states: boolean[] = [];
    h.watchCongestion((c) => states.push(c));
    const id = openEcho(h);
    const line = Buffer.alloc(64 * 1024, 'z');
    line.write('\r\n', line.length - 2);
    const lines = 100; // 6.4 MiB: past the 3 MiB congestion mark and past the whole ring
    for (let i = 0; i < lines; i++) h.data(id, 'c2s', line);
    expect(states).toEqual([true]);
    expect(h.queuedBytes).toBeGreaterThan(4 * MAX_RING_CHUNK_BYTES);
    await until(() => states.length === 2, 'the taps to be let go');
    expect(states).toEqual([true, false]);
    const stats = await h.stats();
    expect(stats.totalMessages).toBe(lines * 16); // 64 KiB lines cut at 4096 bytes
    expect(stats.totalBytes).toBe(lines * line.length);
    const last = await h.getMessage(stats.totalMessages);
    expect(base64ToBytes(last!.bytes).at(-1)).toBe(0x0a);
  });
});
