// `node bin/run-ts.mjs bench/cpuprofile-top.ts FILE.cpuprofile [FROM_US TO_US] [--top N] [--callers NAME]`: where a
// V8 CPU profile (node --cpu-prof) spent its time, as percentages of the samples: the functions by
// self time, the functions by total time (self and callees, each function counted once per
// sample however deep it recurses), and the source files by self time. FROM_US TO_US keep only the
// samples in that window (monotonic microseconds, as bench/profile-dns.ts prints them), so start-up
// and warm-up stay out of the figures. --callers NAME adds the callers of the functions named NAME,
// by the share of the samples in which each called it (self and callees).

import fs from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const DEFAULT_TOP = 25;

function shortUrl(url: string): string {
  if (!url) return '(native)';
  const file = url.replace(/^file:\/\//, '');
  const at = file.indexOf('/node_modules/');
  if (at !== -1) return file.slice(at + 1);
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

/**
 * A function as the tables name it. tsx hands V8 each module as one line (it strips whitespace),
 * so line numbers say nothing there: such functions go by name and file, anonymous ones by the
 * column as well to tell them apart.
 */
function frameKey(f: CallFrame & { columnNumber?: number }): string {
  if (!f.url) return f.functionName || '(anonymous)';
  const where = f.lineNumber > 0 ? `:${f.lineNumber + 1}` : f.functionName ? '' : ` col ${f.columnNumber ?? 0}`;
  return `${f.functionName || '(anonymous)'}  ${shortUrl(f.url)}${where}`;
}

function table(title: string, counts: Map<string, number>, total: number, top: number): void {
  console.log(`\n${title}`);
  const rows = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, n] of rows) console.log(`  ${((n / total) * 100).toFixed(1).padStart(5)} %  ${key}`);
}

function main(): void {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt === -1 ? DEFAULT_TOP : Number(args.splice(topAt, 2)[1]);
  const callersAt = args.indexOf('--callers');
  const callersOf = callersAt === -1 ? null : args.splice(callersAt, 2)[1];
  const [file, fromText, toText] = args;
  if (!file || !Number.isInteger(top) || top < 1) {
    console.error('usage: cpuprofile-top.ts FILE.cpuprofile [FROM_US TO_US] [--top N] [--callers NAME]');
    process.exit(2);
  }
  const from = fromText ? Number(fromText) : -Infinity;
  const to = toText ? Number(toText) : Infinity;
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const totalTime = new Map<string, number>();
  const byFile = new Map<string, number>();
  const callers = new Map<string, number>();
  let counted = 0;
  let idle = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < from || t > to) continue;
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    counted++;
    if (node.callFrame.functionName === '(idle)') {
      idle++;
      continue;
    }
    const key = frameKey(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + 1);
    const fileKey = shortUrl(node.callFrame.url);
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + 1);
    const seen = new Set<string>();
    const seenCallers = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      const k = frameKey(frame);
      const up = parent.get(id);
      if (callersOf !== null && frame.functionName === callersOf && up !== undefined) {
        const c = frameKey(byId.get(up)!.callFrame);
        if (!seenCallers.has(c)) {
          seenCallers.add(c);
          callers.set(c, (callers.get(c) ?? 0) + 1);
        }
      }
      if (seen.has(k)) continue;
      seen.add(k);
      totalTime.set(k, (totalTime.get(k) ?? 0) + 1);
    }
  }
  if (counted === 0) {
    console.error(`no samples in ${file}${fromText ? ` between ${from} and ${to}` : ''}`);
    process.exit(1);
  }
  console.log(`${path.basename(file)}: ${counted} samples, ${((idle / counted) * 100).toFixed(1)} % idle; percentages are of all samples`);
  table('self time by function', self, counted, top);
  table('total time by function (self and callees)', totalTime, counted, top);
  table('self time by file', byFile, counted, top);
  if (callersOf !== null) table(`callers of ${callersOf} (samples in which each called it)`, callers, counted, top);
}

main();
