// Test files run in parallel, each with its own lab: every lab gets a port offset whose service
// ports are free right now, picked at random from a range clear of the defaults (10000 + n).

import dgram from 'node:dgram';
import net from 'node:net';

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ host: '127.0.0.1', port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(false);
    });
    s.bind({ address: '127.0.0.1', port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** The world's well-known ports the tests care about (echo, discard, daytime, and room for later ones). */
const WELL_KNOWN = [7, 9, 13, 20, 21, 25, 53, 80, 110, 143, 3128];

/** The port slots of the world's other web servers (content/world.yaml). */
const PORT_SLOTS = [1081, 1082, 1083, 1084, 1085];

/** The name servers' slots (content/zones/zones.yaml: 5301 upwards, UDP and TCP), with room for more. */
const DNS_SLOTS = Array.from({ length: 24 }, (_, i) => 5301 + i);

export async function freePortOffset(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const offset = 20_000 + Math.floor(Math.random() * 400) * 100;
    const checks = await Promise.all([...WELL_KNOWN.flatMap((p) => [tcpFree(offset + p), udpFree(offset + p)]), ...PORT_SLOTS.map((p) => tcpFree(offset + p)), ...DNS_SLOTS.flatMap((p) => [tcpFree(offset + p), udpFree(offset + p)])]);
    if (checks.every(Boolean)) return offset;
  }
  throw new Error('no free port offset found for a test lab');
}
