// Shared by the HTTP integration tests: a real Lab on a free port offset, and a raw TCP client
// that writes exact bytes and parses what comes back with the lab's own response parser, so each
// test can see every header and whether the server closed the connection.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { Lab, defaultContentDir, type LabOptions } from '../../../src/main/lab/lab';
import { ResponseParser, type ParsedResponse } from '../../../src/protocols/http/parser';
import { freePortOffset } from '../../support/ports';

/** The world's web servers: portOffset + portSlot (content/world.yaml). */
export const HTTP_SLOTS = {
  'gaia.cs.umass.edu': 80,
  'www.someschool.edu': 1081,
  'www-net.cs.umass.edu': 1082,
  'www.massey.ac.nz': 1083,
  'www.somesite.com': 1084,
  'www.amazon.com': 1085,
} as const;

export type WebHost = keyof typeof HTTP_SLOTS;

export interface TestLab {
  lab: Lab;
  offset: number;
  dir: string;
  port(host: WebHost): number;
}

const labs: Lab[] = [];
const dirs: string[] = [];

/** Registers the afterEach that stops every lab a test started and removes its data folder. */
export function useLabs(): void {
  afterEach(async () => {
    for (const lab of labs.splice(0)) await lab.stop();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
}

export async function startLab(extra: Partial<LabOptions> = {}): Promise<TestLab> {
  const dir = extra.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-http-'));
  if (!extra.dataDir) dirs.push(dir);
  const offset = extra.portOffset ?? (await freePortOffset());
  const lab = await Lab.start({ contentDir: defaultContentDir(), ...extra, dataDir: dir, portOffset: offset });
  labs.push(lab);
  return { lab, offset, dir, port: (host) => offset + HTTP_SLOTS[host] };
}

export function header(r: ParsedResponse, name: string): string | undefined {
  return r.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

export function bodyText(r: ParsedResponse): string {
  return Buffer.from(r.body).toString('utf8');
}

/** A raw client connection: write bytes, read parsed responses in order, see when the server closes. */
export class RawConnection {
  private readonly parser = new ResponseParser();
  private readonly responses: ParsedResponse[] = [];
  private readonly waiters: Array<() => void> = [];
  received = Buffer.alloc(0);
  /** The server sent FIN (or the connection ended some other way). */
  ended = false;
  closed = false;
  readonly done: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      for (const ev of this.parser.push(chunk)) if (ev.type === 'response') this.responses.push(ev.response);
      this.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      for (const ev of this.parser.end()) if (ev.type === 'response') this.responses.push(ev.response);
      this.wake();
    });
    socket.on('error', () => {});
    this.done = new Promise((resolve) =>
      socket.on('close', () => {
        this.closed = true;
        this.ended = true;
        this.wake();
        resolve();
      }),
    );
  }

  static open(port: number, options: { allowHalfOpen?: boolean } = {}): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: options.allowHalfOpen ?? true }, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Writes `data`; `methods` are the requests it holds, in order, so HEAD responses parse right. */
  send(data: string | Uint8Array, methods: string[] = []): void {
    for (const m of methods) this.parser.expect(m);
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Waits until `test` holds, re-checking on every byte or close. */
  async until(test: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!test()) {
      const left = end - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.received.toString('latin1').slice(0, 400))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The n-th response (0-based), waiting for it. */
  async response(n = 0, timeoutMs = 5_000): Promise<ParsedResponse> {
    await this.until(() => this.responses.length > n, `response #${n + 1}`, timeoutMs);
    return this.responses[n];
  }

  get count(): number {
    return this.responses.length;
  }

  /** Whether the server closes within `ms` (after whatever has been sent). */
  async closesWithin(ms: number): Promise<boolean> {
    try {
      await this.until(() => this.ended, 'the server to close', ms);
      return true;
    } catch {
      return false;
    }
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** One request on a fresh connection: the response, and whether the server closed afterwards. */
export async function request(port: number, raw: string | Uint8Array, method = 'GET'): Promise<{ response: ParsedResponse; closed: boolean; conn: RawConnection }> {
  const conn = await RawConnection.open(port);
  conn.send(raw, [method]);
  const response = await conn.response();
  const closed = await conn.closesWithin(300);
  conn.destroy();
  return { response, closed, conn };
}

/** `GET path HTTP/1.1` with Host and Connection: close, and any extra header lines. */
export function get(host: string, target: string, extra: string[] = [], method = 'GET'): string {
  return [`${method} ${target} HTTP/1.1`, `Host: ${host}`, ...extra, 'Connection: close', '', ''].join('\r\n');
}
