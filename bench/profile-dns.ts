// `node --cpu-prof --cpu-prof-dir=DIR bin/run-ts.mjs bench/profile-dns.ts [cached|cold]`: the lab's
// local resolver under the load of `npm run bench:dns`, in this process, for a CPU profile of it
// (the capture worker writes a .cpuprofile of its own). BENCH_DNS_CAPTURE=off starts the lab with
// the capture off.
//
//   cached   dnsperf (or bench/dns-load.ts) in its own process sends the benchmark questions to the
//            warmed resolver: the profile holds only the lab's side
//   cold     the cache is flushed before each question, one question at a time; the UDP client
//            asking them runs in this process too (a small share of the profile)
//
// It prints the measured window in monotonic microseconds, the clock of the .cpuprofile samples:
// pass it to bench/cpuprofile-top.ts to leave start-up and warm-up out.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Lab, defaultContentDir } from '../src/main/lab/lab';
import { BENCH_DNS_QUESTIONS, dnsperfDataFile, typeCodeOf } from './dns-queries';
import { UdpDnsClient } from './dns-udp';
import { dnsperfAvailable, load } from './dns';

const SECONDS = Number(process.env.BENCH_DNS_PROFILE_SECONDS ?? 10);
const WARMUP_SECONDS = 3;

function monotonicUs(): bigint {
  return process.hrtime.bigint() / 1000n;
}

async function main(): Promise<void> {
  const mode = process.argv[2] ?? 'cached';
  if (mode !== 'cached' && mode !== 'cold') throw new Error(`the mode is cached or cold, not ${mode}`);
  const capture = process.env.BENCH_DNS_CAPTURE !== 'off';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-profile-dns-'));
  const lab = await Lab.start({ dataDir: dir, contentDir: defaultContentDir(), portOffset: 20_000 + Math.floor(Math.random() * 200) * 100, capture });
  const client = new UdpDnsClient((await lab.api.getResolver()).port);
  try {
    const port = (await lab.api.getResolver()).port;
    for (const q of BENCH_DNS_QUESTIONS) await client.ask(q.name, typeCodeOf(q));
    if (mode === 'cached') {
      const dataFile = path.join(dir, 'queries.txt');
      fs.writeFileSync(dataFile, dnsperfDataFile());
      const tool = dnsperfAvailable() ? 'dnsperf' : 'dns-load';
      await load(tool, port, dataFile, WARMUP_SECONDS);
      await lab.api.getSnapshot();
      const from = monotonicUs();
      const r = await load(tool, port, dataFile, SECONDS);
      await lab.api.getSnapshot();
      const to = monotonicUs();
      console.log(`${tool}: ${r.completed} answers in ${r.seconds.toFixed(2)} s, ${r.qps.toFixed(0)}/s, capture ${capture ? 'on' : 'off'}`);
      console.log(`window ${from} ${to}`);
    } else {
      const cold = async (until: number) => {
        let n = 0;
        while (performance.now() < until) {
          const q = BENCH_DNS_QUESTIONS[n++ % BENCH_DNS_QUESTIONS.length];
          await lab.api.flushResolverCache(null);
          await client.ask(q.name, typeCodeOf(q));
        }
        return n;
      };
      await cold(performance.now() + WARMUP_SECONDS * 1000);
      const from = monotonicUs();
      const t0 = performance.now();
      const n = await cold(t0 + SECONDS * 1000);
      await lab.api.getSnapshot();
      const to = monotonicUs();
      console.log(`cold: ${n} resolutions in ${((performance.now() - t0) / 1000).toFixed(2)} s, ${((n * 1000) / (performance.now() - t0)).toFixed(0)}/s, capture ${capture ? 'on' : 'off'}`);
      console.log(`window ${from} ${to}`);
    }
  } finally {
    client.close();
    await lab.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
