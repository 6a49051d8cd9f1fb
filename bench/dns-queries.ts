// The questions `npm run bench:dns` asks: names the lab's zones (content/zones) hold, in the course's
// examples, each with a TTL of an hour so that no answer leaves a cache during a run. www.yahoo.com
// is left out on purpose: its A records have a TTL of 60 s, so a long run would measure its expiry.
// Every type a resolver caches differently is there: A, a CNAME chain (www.ibm.com,
// www.massey.ac.nz), MX and PTR.

import { RR_TYPE } from '../src/protocols/dns';

export interface BenchQuestion {
  name: string;
  type: 'A' | 'MX' | 'PTR';
}

export const BENCH_DNS_QUESTIONS: readonly BenchQuestion[] = [
  { name: 'gaia.cs.umass.edu', type: 'A' },
  { name: 'www-net.cs.umass.edu', type: 'A' },
  { name: 'www.ibm.com', type: 'A' },
  { name: 'hamburger.edu', type: 'MX' },
  { name: 'mail.hamburger.edu', type: 'A' },
  { name: 'crepes.fr', type: 'MX' },
  { name: 'www.crepes.fr', type: 'A' },
  { name: 'www.amazon.com', type: 'A' },
  { name: 'cis.poly.edu', type: 'A' },
  { name: 'www.poly.edu', type: 'A' },
  { name: 'someschool.edu', type: 'MX' },
  { name: 'www.someschool.edu', type: 'A' },
  { name: 'www.massey.ac.nz', type: 'A' },
  { name: '201.128.123.130.in-addr.arpa', type: 'PTR' },
  { name: '12.245.119.128.in-addr.arpa', type: 'PTR' },
];

export function typeCodeOf(q: BenchQuestion): number {
  return RR_TYPE[q.type];
}

/** The questions in dnsperf's data-file format: one `NAME TYPE` a line. */
export function dnsperfDataFile(questions: readonly BenchQuestion[] = BENCH_DNS_QUESTIONS): string {
  return questions.map((q) => `${q.name} ${q.type}\n`).join('');
}

/** Reads a dnsperf data file back (the Node load generator takes the same file). */
export function parseDataFile(text: string): BenchQuestion[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith(';'))
    .map((line, i) => {
      const [name, type] = line.split(/\s+/);
      if (!name || (type !== 'A' && type !== 'MX' && type !== 'PTR')) throw new Error(`line ${i + 1} of the data file is not "NAME A|MX|PTR": ${line}`);
      return { name, type };
    });
}
