// Capture records shaped like the ones the tap and the framers produce, for the capture tests.

import type { CaptureEvent, ConnectionInfo, Endpoint, MessageSummary } from '../../../../src/shared/capture';

export function endpoint(overrides: Partial<Endpoint> = {}): Endpoint {
  return { address: '127.0.0.1', port: 49152, virtualAddress: '128.119.245.12', virtualPort: 80, ...overrides };
}

/** A TCP connection from the lab's client host to gaia.cs.umass.edu's web server. */
export function httpConnection(id: number, overrides: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return {
    id,
    transport: 'tcp',
    protocol: 'http',
    serviceId: 'gaia.cs.umass.edu/http',
    side: 'server',
    client: endpoint({ port: 50000 + id, virtualAddress: '192.168.1.10', virtualPort: 50000 + id, hostname: 'cis.poly.edu' }),
    server: endpoint({ port: 10080, virtualAddress: '128.119.245.12', virtualPort: 80, hostname: 'gaia.cs.umass.edu' }),
    openedAt: 0,
    state: 'open',
    ...overrides,
  };
}

/** A UDP flow from the resolver to the lab's DNS server. */
export function dnsFlow(id: number): ConnectionInfo {
  return {
    id,
    transport: 'udp',
    protocol: 'dns',
    serviceId: 'dns.poly.edu/dns',
    side: 'server',
    client: endpoint({ port: 40000 + id, virtualAddress: '192.168.1.10', virtualPort: 40000 + id }),
    server: endpoint({ port: 10053, virtualAddress: '128.119.40.186', virtualPort: 53, hostname: 'dns.poly.edu' }),
    openedAt: 0,
    state: 'open',
  };
}

export const encoder = new TextEncoder();

export function summary(id: number, overrides: Partial<MessageSummary> = {}): MessageSummary {
  const request = id % 2 === 1;
  return {
    id,
    connId: 1,
    protocol: 'http',
    transport: 'tcp',
    dir: request ? 'c2s' : 's2c',
    role: request ? 'request' : 'response',
    t: id * 1.25,
    length: 0,
    summary: request ? `GET /page${id}.html HTTP/1.1` : 'HTTP/1.1 200 OK',
    source: request ? 'cis.poly.edu:50001' : 'gaia.cs.umass.edu:80',
    destination: request ? 'gaia.cs.umass.edu:80' : 'cis.poly.edu:50001',
    ...(request ? {} : { responseTo: id - 1 }),
    ...overrides,
  };
}

/** Deterministic bytes for message `id`, so a reader can check every byte it gets back. */
export function messageBytes(id: number, length = 20 + (id % 97)): Uint8Array {
  const out = new Uint8Array(length);
  let x = id * 2654435761;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export function dataEvent(seq: number, connId: number, dir: 'c2s' | 's2c', bytes: Uint8Array, t = seq): CaptureEvent {
  return { type: 'data', seq, t, connId, dir, bytes };
}
