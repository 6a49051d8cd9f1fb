// A journal survives its writer being killed mid-stream: every whole record is kept, a torn tail is
// cut off on reopen, and appending carries on after it.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CaptureJournal } from '../../../src/main/lab/capture/journal';
import { RECORD_HEADER_BYTES } from '../../../src/main/lab/capture/journal-format';
import { messageBytes, summary } from './support/fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const writerScript = path.join(here, 'fixtures/journal-writer.ts');
/** Flushed messages to wait for before the kill: enough that the writer is well into its loop. */
const KILL_AFTER_MESSAGES = 5000;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-journal-crash-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the writer until it reports KILL_AFTER_MESSAGES flushed, SIGKILLs it, returns the last id it flushed. */
function runAndKill(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, file], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let lastFlushed = 0;
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^flushed (\d+)$/.exec(line);
        if (m) lastFlushed = Number(m[1]);
      }
      if (lastFlushed >= KILL_AFTER_MESSAGES && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(lastFlushed);
      else reject(new Error(`writer exited on its own (code ${code}): ${stderr}`));
    });
  });
}

it('keeps every whole record after a SIGKILL and a hand-made torn tail, and appends after them', async () => {
  const file = path.join(dir, 'capture.journal');
  const lastFlushed = await runAndKill(file);
  expect(lastFlushed).toBeGreaterThanOrEqual(KILL_AFTER_MESSAGES);

  // A half record by hand: a header promising 600 bytes, then only 37 of them.
  const sizeAfterKill = fs.statSync(file).size;
  const torn = Buffer.alloc(RECORD_HEADER_BYTES + 37, 0xa5);
  torn.writeUInt32LE(600, 0);
  fs.appendFileSync(file, torn);

  const journal = CaptureJournal.open(file);
  try {
    // Everything flushed before the kill is there; so is whatever the timer wrote after it.
    const count = journal.messageCount;
    expect(count).toBeGreaterThanOrEqual(lastFlushed);
    expect(journal.lastMessageId).toBe(count);
    // The writer appends an event then its message; a buffer write may fall between the two.
    expect([count, count + 1]).toContain(journal.eventCount);
    const eventsBefore = journal.eventCount;
    expect(journal.repair).toMatch(/cut short/);
    expect(journal.truncatedBytes).toBeGreaterThanOrEqual(torn.length);
    expect(fs.statSync(file).size).toBe(sizeAfterKill + torn.length - journal.truncatedBytes);
    expect(fs.statSync(file).size).toBe(journal.bytesWritten);
    expect(journal.readMessage(count)?.bytes).toEqual(messageBytes(count));

    const next = count + 1;
    journal.append({ kind: 'message', message: summary(next, { length: 3 }), bytes: new Uint8Array([1, 2, 3]) });
    journal.close();

    let expectedId = 1;
    let events = 0;
    for (const record of CaptureJournal.read(file)) {
      if (record.kind === 'event') {
        events++;
        continue;
      }
      if (record.kind !== 'message') throw new Error(`unexpected ${record.kind} record`);
      expect(record.message.id).toBe(expectedId);
      if (expectedId < next) {
        // Checked by comparison, not by the matcher, to keep thousands of records fast.
        if (!Buffer.from(record.bytes).equals(Buffer.from(messageBytes(expectedId)))) {
          throw new Error(`message ${expectedId} came back with different bytes`);
        }
      } else {
        expect([...record.bytes]).toEqual([1, 2, 3]);
      }
      expectedId++;
    }
    expect(expectedId - 1).toBe(next);
    expect(events).toBe(eventsBefore);
    const reopened = CaptureJournal.open(file);
    expect(reopened.repair).toBeNull();
    expect(reopened.messageCount).toBe(next);
    reopened.close();
  } finally {
    journal.close();
  }
}, 60_000);
