import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionInfo, Direction } from '../../../src/shared/capture';
import { tapTcpSocket, type CaptureSink } from '../../../src/main/lab/capture/tap';

type Seen = ['open'] | ['data', Direction, string] | ['close', string] | ['reset', string];

function recordingSink(): CaptureSink & { seen: Seen[] } {
  const seen: Seen[] = [];
  let id = 0;
  return {
    seen,
    open(info) {
      seen.push(['open']);
      return { ...info, id: ++id, openedAt: 0, state: 'open' } as ConnectionInfo;
    },
    data(_c, dir, bytes) {
      seen.push(['data', dir, Buffer.from(bytes).toString()]);
    },
    datagram() {},
    close(_c, by) {
      seen.push(['close', by]);
    },
    reset(_c, by) {
      seen.push(['reset', by]);
    },
  };
}

const endpoint = { address: '127.0.0.1', port: 1, virtualAddress: '128.119.245.12', virtualPort: 7 };
const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A server whose accepted sockets are tapped; `behave` decides what the server does. */
async function tappedServer(sink: CaptureSink, behave: (s: net.Socket) => void): Promise<number> {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    tapTcpSocket(socket, sink, { side: 'server', protocol: 'echo', client: endpoint, server: endpoint });
    behave(socket);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as net.AddressInfo).port;
}

async function settle(sink: { seen: Seen[] }): Promise<void> {
  const end = Date.now() + 3000;
  while (!sink.seen.some((e) => e[0] === 'close' || e[0] === 'reset')) {
    if (Date.now() > end) throw new Error(`no close seen: ${JSON.stringify(sink.seen)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the tap', () => {
  it('records reads, writes (write and end), and a client-first orderly close', async () => {
    const sink = recordingSink();
    const port = await tappedServer(sink, (s) => {
      s.on('data', (d) => s.write(d));
      s.on('end', () => s.end('bye'));
    });
    const c = net.connect(port, '127.0.0.1', () => c.end('hi'));
    c.resume();
    await settle(sink);
    expect(sink.seen).toEqual([['open'], ['data', 'c2s', 'hi'], ['data', 's2c', 'hi'], ['data', 's2c', 'bye'], ['close', 'client']]);
  });

  it('records a server-first close', async () => {
    const sink = recordingSink();
    const port = await tappedServer(sink, (s) => s.end('Wednesday\r\n'));
    const c = net.connect(port, '127.0.0.1');
    c.resume();
    c.on('end', () => c.end());
    await settle(sink);
    expect(sink.seen.at(-1)).toEqual(['close', 'server']);
    expect(sink.seen).toContainEqual(['data', 's2c', 'Wednesday\r\n']);
  });

  it('records a reset when the client aborts', async () => {
    const sink = recordingSink();
    const port = await tappedServer(sink, () => {});
    const c = net.connect(port, '127.0.0.1', () => c.resetAndDestroy());
    await settle(sink);
    expect(sink.seen.at(-1)).toEqual(['reset', 'client']);
  });

  it('records a reset by the lab when the server destroys the socket', async () => {
    const sink = recordingSink();
    const port = await tappedServer(sink, (s) => s.destroy());
    const c = net.connect(port, '127.0.0.1');
    c.on('error', () => {});
    c.resume();
    await settle(sink);
    expect(sink.seen.at(-1)).toEqual(['reset', 'server']);
  });
});

describe('the tap under backpressure', () => {
  /** A sink whose congestion the test sets by hand. */
  function congestibleSink(): CaptureSink & { seen: Seen[]; congest(on: boolean): void; watchers(): number } {
    const base = recordingSink();
    const listeners = new Set<(c: boolean) => void>();
    return Object.assign(base, {
      watchCongestion(listener: (c: boolean) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      congest(on: boolean) {
        for (const l of listeners) l(on);
      },
      watchers: () => listeners.size,
    });
  }

  it('stops reading while the capture is congested, whatever the owner asks, and reads again after', async () => {
    const sink = congestibleSink();
    let server!: net.Socket;
    const port = await tappedServer(sink, (s) => {
      server = s;
      s.on('data', () => {});
    });
    const c = net.connect(port, '127.0.0.1');
    await until(() => server !== undefined);
    expect(sink.watchers()).toBe(1);
    sink.congest(true);
    expect(server.isPaused()).toBe(true);
    server.resume(); // the owner's resume must not undo the capture's hold
    expect(server.isPaused()).toBe(true);
    c.write('held\r\n');
    await new Promise((r) => setTimeout(r, 50));
    expect(sink.seen.filter((e) => e[0] === 'data')).toEqual([]);
    sink.congest(false);
    await until(() => sink.seen.some((e) => e[0] === 'data'));
    expect(sink.seen).toContainEqual(['data', 'c2s', 'held\r\n']);
    c.destroy();
    server.destroy();
    await settle(sink);
    expect(sink.watchers()).toBe(0); // stops listening once the socket closed
  });

  it('leaves a socket its owner paused paused when the congestion ends', async () => {
    const sink = congestibleSink();
    let server!: net.Socket;
    const port = await tappedServer(sink, (s) => {
      server = s;
      s.on('data', () => {});
    });
    const c = net.connect(port, '127.0.0.1');
    await until(() => server !== undefined);
    sink.congest(true);
    server.pause();
    sink.congest(false);
    expect(server.isPaused()).toBe(true);
    server.resume();
    expect(server.isPaused()).toBe(false);
    c.destroy();
    server.destroy();
    await settle(sink);
  });
});

async function until(probe: () => boolean): Promise<void> {
  const end = Date.now() + 3000;
  while (!probe()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
