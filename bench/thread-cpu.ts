// CPU time per thread of a process, from /proc (Linux only): what each server of bench/http.ts
// spends per request, the socket thread apart from the rest (the capture worker, V8's helpers,
// libuv's pool). On a machine with few cores, requests per second mostly say how the threads
// shared the cores with each other and with the load generator; CPU per request says what each
// costs, whoever ran when.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export interface ThreadCpu {
  /** CPU seconds of the process's main thread (the thread whose id is the process id). */
  main: number;
  /** CPU seconds of all its other threads together. */
  others: number;
  /**
   * CPU seconds of the busiest of the other threads alone: in a lab with capture on, the capture
   * worker (the rest are V8's helpers and libuv's pool).
   */
  busiest: number;
}

/** CPU seconds used so far by a process's main thread and by each of its other threads, by thread id. */
export interface ThreadCpuSample {
  main: number;
  others: Map<string, number>;
}

let ticksPerSecond: number | null | undefined;

/** USER_HZ, the unit of the times in /proc/PID/task/TID/stat (proc(5)); null when it cannot be read. */
function clockTicks(): number | null {
  if (ticksPerSecond === undefined) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const n = Number(out.stdout?.trim());
    ticksPerSecond = out.status === 0 && n > 0 ? n : null;
  }
  return ticksPerSecond;
}

/** utime + stime of one thread, in ticks: fields 14 and 15 of its stat line, counted after the ")" that ends its name. */
function threadTicks(statLine: string): number {
  const fields = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): field n is fields[n - 3].
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU seconds used so far by each thread of `pid`, or null off Linux or when the process is gone. */
export function threadCpu(pid: number): ThreadCpuSample | null {
  const hz = clockTicks();
  if (hz === null) return null;
  const taskDir = `/proc/${pid}/task`;
  let tids: string[];
  try {
    tids = fs.readdirSync(taskDir);
  } catch {
    return null;
  }
  let main = 0;
  const others = new Map<string, number>();
  for (const tid of tids) {
    let line: string;
    try {
      line = fs.readFileSync(`${taskDir}/${tid}/stat`, 'utf8');
    } catch {
      continue; // a thread that ended meanwhile
    }
    const seconds = threadTicks(line) / hz;
    if (Number(tid) === pid) main = seconds;
    else others.set(tid, seconds);
  }
  return { main, others };
}

/** What `before` to `after` used; threads that ended in between are not counted. */
export function cpuBetween(before: ThreadCpuSample, after: ThreadCpuSample): ThreadCpu {
  let others = 0;
  let busiest = 0;
  for (const [tid, seconds] of after.others) {
    // A thread id reused by a new thread can read less than before.
    const used = Math.max(0, seconds - (before.others.get(tid) ?? 0));
    others += used;
    busiest = Math.max(busiest, used);
  }
  return { main: after.main - before.main, others, busiest };
}
