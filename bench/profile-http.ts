// `node --cpu-prof --cpu-prof-dir=DIR bin/run-ts.mjs bench/profile-http.ts`: the lab's web server
// for gaia.cs.umass.edu under the load of `npm run bench:http` (wrk, or bench/http-load.ts, in its
// own process), in this process, for a CPU profile of it (the capture worker writes a .cpuprofile of
// its own). BENCH_HTTP_CAPTURE=off starts the lab with the capture off; BENCH_HTTP_KEEP=1 keeps the
// data folder (with its capture journal) and prints where it is. It prints the measured window in
// monotonic microseconds: pass it to bench/cpuprofile-top.ts to leave start-up out.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Lab, defaultContentDir } from '../src/main/lab/lab';
import { benchPage, loadOnce, SITE_HOST, PAGE_NAME } from './http';

const SECONDS = Number(process.env.BENCH_HTTP_PROFILE_SECONDS ?? 10);
const WARMUP_SECONDS = 3;

function monotonicUs(): bigint {
  return process.hrtime.bigint() / 1000n;
}

async function main(): Promise<void> {
  const capture = process.env.BENCH_HTTP_CAPTURE !== 'off';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-profile-http-'));
  const lab = await Lab.start({ dataDir: dir, contentDir: defaultContentDir(), portOffset: 20_000 + Math.floor(Math.random() * 200) * 100, capture });
  try {
    const service = lab.serviceInfos().find((s) => s.protocol === 'http' && s.hostname === SITE_HOST);
    if (service?.state !== 'listening') throw new Error(`the ${SITE_HOST} web server did not start: ${service?.error}`);
    fs.writeFileSync(path.join(lab.data.worldDir, 'sites', SITE_HOST, PAGE_NAME), benchPage());
    await loadOnce(service.port, WARMUP_SECONDS);
    await lab.api.getSnapshot();
    const from = monotonicUs();
    const r = await loadOnce(service.port, SECONDS);
    await lab.api.getSnapshot();
    const to = monotonicUs();
    console.log(`${r.requests} requests in ${r.seconds.toFixed(2)} s, ${r.rps.toFixed(0)}/s, capture ${capture ? 'on' : 'off'}`);
    console.log(`window ${from} ${to}`);
    if (process.env.BENCH_HTTP_KEEP) console.log(`data folder ${dir}`);
  } finally {
    await lab.stop();
    if (!process.env.BENCH_HTTP_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
