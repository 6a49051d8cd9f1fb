// What the recorder answers about messages it has just recorded: it keeps no copy of them, so
// every read goes to the journal, before and after the records reach the disk, while the
// connection is still open, and with the answer filled in once the response has come.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaptureRecorder, MAX_REMEMBERED_UNANSWERED } from '../../../src/main/lab/capture/recorder';
import { bytesToBase64 } from '../../../src/protocols/core/bytes';
import type { CaptureBatch } from '../../../src/shared/capture';
import { httpConnection } from './support/fixtures';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-recorder-reads-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const REQUEST = 'GET / HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n';
const RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

describe('the recorder reads messages back from the journal', () => {
  it('while the connection is open, with the answer once the response has come, and after close', () => {
    const recorder = new CaptureRecorder({ journalPath: path.join(dir, 'capture.journal'), startEpochMs: Date.now() });
    try {
      recorder.open(1, httpConnection(1));
      recorder.chunk('data', 2, 1, 1, 'c2s', latin1(REQUEST));
      // The request is still in the journal's write buffer, its connection open, no answer yet.
      expect(recorder.listMessages(1, 10).map((m) => [m.id, m.summary, m.answeredBy])).toEqual([[1, 'GET / HTTP/1.1', undefined]]);
      const request = recorder.getMessage(1);
      expect(request?.bytes).toBe(bytesToBase64(latin1(REQUEST)));
      expect(request?.conn?.state).toBe('open');

      recorder.chunk('data', 3, 2, 1, 's2c', latin1(RESPONSE));
      expect(recorder.listMessages(1, 10).map((m) => [m.id, m.responseTo, m.answeredBy])).toEqual([
        [1, undefined, 2],
        [2, 1, undefined],
      ]);
      expect(recorder.getMessage(1)?.answeredBy).toBe(2);
      expect(recorder.getMessage(2)?.bytes).toBe(bytesToBase64(latin1(RESPONSE)));

      recorder.finish(4, 3, 1, 'closed', 'client');
      expect(recorder.getMessage(2)?.conn?.state).toBe('closed');
      // Pages past the end, empty pages and unknown ids.
      expect(recorder.listMessages(3, 10)).toEqual([]);
      expect(recorder.listMessages(1, 0)).toEqual([]);
      expect(recorder.getMessage(99)).toBeNull();
    } finally {
      recorder.close();
    }
  });

  it('marks a request whose connection ended with no response: live, and when read back', async () => {
    const recorder = new CaptureRecorder({ journalPath: path.join(dir, 'capture.journal'), startEpochMs: Date.now() });
    const batches: CaptureBatch[] = [];
    try {
      recorder.setLiveBatches((b) => batches.push(b));
      recorder.open(1, httpConnection(1));
      recorder.chunk('data', 2, 1, 1, 'c2s', latin1(REQUEST));
      recorder.chunk('data', 3, 2, 1, 's2c', latin1(RESPONSE));
      recorder.chunk('data', 4, 3, 1, 'c2s', latin1(REQUEST)); // the server closes before answering this one
      expect(recorder.listMessages(1, 10).map((m) => m.noReply)).toEqual([undefined, undefined, undefined]); // open: it may yet come
      recorder.finish(5, 4, 1, 'closed', 'server');
      expect(recorder.listMessages(1, 10).map((m) => [m.id, m.role, m.answeredBy, m.noReply])).toEqual([
        [1, 'request', 2, undefined],
        [2, 'response', undefined, undefined],
        [3, 'request', undefined, true],
      ]);
      expect(recorder.getMessage(3)?.noReply).toBe(true);
      expect(recorder.getMessage(1)?.noReply).toBeUndefined();
      recorder.setLiveBatches(null); // sends what is pending
      expect(batches.flatMap((b) => b.unanswered)).toEqual([3]);
    } finally {
      recorder.close();
    }
  });

  it('remembers at most maxRememberedUnanswered (MAX_REMEMBERED_UNANSWERED) such requests: the oldest read back unmarked', () => {
    expect(MAX_REMEMBERED_UNANSWERED).toBe(200_000);
    const recorder = new CaptureRecorder({ journalPath: path.join(dir, 'capture.journal'), startEpochMs: Date.now(), maxRememberedUnanswered: 2 });
    try {
      for (let conn = 1; conn <= 3; conn++) {
        recorder.open(conn * 10, httpConnection(conn));
        recorder.chunk('data', conn * 10 + 1, conn, conn, 'c2s', latin1(REQUEST));
        recorder.finish(conn * 10 + 2, conn, conn, 'closed', 'server');
      }
      expect(recorder.listMessages(1, 10).map((m) => [m.id, m.noReply])).toEqual([
        [1, undefined], // forgotten, so not marked: never marked wrongly
        [2, true],
        [3, true],
      ]);
    } finally {
      recorder.close();
    }
  });
});
