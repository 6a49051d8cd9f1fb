// `node --cpu-prof --cpu-prof-dir=DIR bin/run-ts.mjs bench/profile-capture.ts`: one echo stream
// through the lab with capture on, for a CPU profile of the capture worker (every thread writes
// its own .cpuprofile). Waits until the recorder has caught up, so the profile holds the whole
// stream's recording.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Lab, defaultContentDir } from '../src/main/lab/lab';

const STREAM_BYTES = Number(process.env.BENCH_STREAM_MB ?? 256) * 1024 * 1024;
/** The same lines as bench/run.ts. */
const LINE_BYTES = 16 * 1024;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-profile-'));
  const lab = await Lab.start({ dataDir: dir, contentDir: defaultContentDir(), portOffset: 31_000 + Math.floor(Math.random() * 1000), capture: true });
  try {
    const echo = lab.serviceInfos().find((s) => s.protocol === 'echo' && s.transport === 'tcp');
    if (!echo || echo.state !== 'listening') throw new Error(`echo did not start: ${echo?.error}`);
    await lab.api.getSnapshot();
    // A first stream warms the JIT of both threads and maps the ring's pages; the second is measured.
    await stream(echo.port, STREAM_BYTES);
    await lab.api.getSnapshot();
    const from = process.hrtime.bigint() / 1000n;
    const { streamed, recorded } = await stream(echo.port, STREAM_BYTES, () => lab.api.getSnapshot());
    const to = process.hrtime.bigint() / 1000n;
    const snapshot = await lab.api.getSnapshot();
    console.log(`streamed ${STREAM_BYTES / 1048576} MiB each way in ${streamed.toFixed(0)} ms, recorded by ${recorded.toFixed(0)} ms, ${snapshot.capture.totalMessages} messages`);
    // Monotonic microseconds, the clock of the .cpuprofile timestamps: the measured stream's window.
    console.log(`window ${from} ${to}`);
  } finally {
    await lab.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function stream(port: number, bytes: number, caughtUp?: () => Promise<unknown>): Promise<{ streamed: number; recorded: number }> {
  const line = Buffer.alloc(LINE_BYTES, 'a');
  line[LINE_BYTES - 2] = 0x0d;
  line[LINE_BYTES - 1] = 0x0a;
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise((r) => socket.once('connect', r));
  const start = performance.now();
  let received = 0;
  const done = new Promise<void>((resolve) => {
    socket.on('data', (chunk) => {
      received += chunk.length;
      if (received >= bytes) resolve();
    });
  });
  for (let sent = 0; sent < bytes; sent += line.length) {
    if (!socket.write(line)) await new Promise((r) => socket.once('drain', r));
  }
  await done;
  const streamed = performance.now() - start;
  await caughtUp?.();
  const recorded = performance.now() - start;
  socket.destroy();
  return { streamed, recorded };
}

await main();
