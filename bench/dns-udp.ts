// One DNS question over UDP to a server on loopback, for `npm run bench:dns`: the checks that every
// server answers every benchmark question, the warm-up of the caches, and the cold resolutions
// (one at a time, so the time from query to answer is the resolver's work for that name).

import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { type DnsMessage, decodeMessage, encodeMessage, makeQuery } from '../src/protocols/dns';

/** How long one benchmark question may take, even a cold walk from the root (the lab's upstream timeout is far shorter). */
export const BENCH_QUESTION_TIMEOUT_MS = 10_000;

export interface UdpAnswer {
  message: DnsMessage;
  /** From the query's send to the answer's arrival. */
  ms: number;
}

/** A client socket that asks one question at a time and matches each answer by ID. */
export class UdpDnsClient {
  private readonly socket = dgram.createSocket('udp4');
  private readonly bound: Promise<void>;

  constructor(private readonly port: number) {
    this.bound = new Promise((resolve) => this.socket.bind(0, '127.0.0.1', () => resolve()));
    this.socket.on('error', () => {});
  }

  async ask(name: string, type: number, timeoutMs = BENCH_QUESTION_TIMEOUT_MS): Promise<UdpAnswer> {
    await this.bound;
    const id = Math.floor(Math.random() * 0x10000);
    const query = encodeMessage(makeQuery(id, name, type, { recursionDesired: true }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.off('message', onMessage);
        reject(new Error(`no answer to ${name} (type ${type}) from 127.0.0.1:${this.port} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (msg: Buffer) => {
        if (msg.length < 2 || msg.readUInt16BE(0) !== id) return;
        const ms = performance.now() - sentAt;
        clearTimeout(timer);
        this.socket.off('message', onMessage);
        const decoded = decodeMessage(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), { transport: 'udp' });
        if (!decoded.ok) reject(new Error(`an undecodable answer to ${name} from 127.0.0.1:${this.port}: ${decoded.error.message}`));
        else resolve({ message: decoded.message, ms });
      };
      this.socket.on('message', onMessage);
      const sentAt = performance.now();
      this.socket.send(query, this.port, '127.0.0.1');
    });
  }

  close(): void {
    this.socket.close();
  }
}
