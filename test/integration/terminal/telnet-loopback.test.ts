// The terminal against a real TCP server on 127.0.0.1, through a minimal RawConnector made here on
// node:net (the lab's own connector, with capture, lives in src/main/lab/raw-connector.ts).

import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { TerminalSession } from '../../../src/main/lab/terminal/session';
import type { RawConnection, RawConnector, ResolvedTarget } from '../../../src/main/lab/terminal/types';
import { Screen } from '../../unit/terminal/support/screen';

const LOOPBACK = '127.0.0.1';

class SocketConnection implements RawConnection {
  private closedHere = false;
  private peerEnded = false;
  private error: string | undefined;

  constructor(
    private readonly socket: net.Socket,
    readonly target: ResolvedTarget,
  ) {
    socket.on('end', () => (this.peerEnded = true));
    socket.on('error', (err) => (this.error = err.message));
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.closedHere = true;
    this.socket.destroy();
  }

  onData(listener: (bytes: Uint8Array) => void): void {
    this.socket.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk)));
  }

  onClose(listener: (info: { byPeer: boolean; error?: string }) => void): void {
    this.socket.on('close', () => {
      const byPeer = this.peerEnded && !this.closedHere;
      listener(this.error ? { byPeer, error: this.error } : { byPeer });
    });
  }
}

/** Knows only the loopback address: tests never leave 127.0.0.1. */
const loopbackConnector: RawConnector = {
  async resolve(host, port) {
    if (host !== LOOPBACK) throw Object.assign(new Error(`not a test host: ${host}`), { code: 'ENOTFOUND' });
    return { host, virtualAddress: LOOPBACK, virtualPort: port, address: LOOPBACK, port };
  },
  connect(target) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: target.address, port: target.port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new SocketConnection(socket, target));
      });
    });
  },
  listHosts() {
    return [];
  },
  localHost() {
    return { name: 'cis.poly.edu', address: '128.238.2.93' };
  },
  serviceState() {
    return undefined;
  },
};

/**
 * Echoes every byte back. A line `bye` makes it say goodbye and close; when the client half-closes
 * it still answers before closing, as a server may.
 */
interface EchoServer {
  port: number;
  received: () => string;
  closedSockets: () => number;
  close: () => Promise<void>;
}

async function startEchoServer(): Promise<EchoServer> {
  let received = '';
  let closedSockets = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      closedSockets++;
      sockets.delete(socket);
    });
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      socket.write(chunk);
      if (received.endsWith('bye\r\n')) socket.end('server: goodbye\r\n');
    });
    socket.on('end', () => {
      if (!socket.destroyed && socket.writable) socket.end('server: got your FIN, closing too\r\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    received: () => received,
    closedSockets: () => closedSockets,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function unusedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, LOOPBACK, resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

let server: EchoServer;
let screen: Screen;
let session: TerminalSession;

beforeAll(async () => {
  server = await startEchoServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  session?.dispose();
  screen?.dispose();
});

function startTerminal(): void {
  screen = new Screen(100, 40);
  session = new TerminalSession({ cols: 100, rows: 40, write: screen.write, connector: loopbackConnector });
}

async function screenText(): Promise<string> {
  return screen.text();
}

async function openEcho(): Promise<void> {
  session.input(`open ${LOOPBACK} ${server.port}\r`);
  await vi.waitFor(async () => expect(await screenText()).toContain("Escape character is '^]'."));
}

describe('telnet-style session over a real loopback TCP connection', () => {
  test('hello + Enter puts hello CR LF on the wire, and the echo shows on the terminal', async () => {
    startTerminal();
    const receivedBefore = server.received().length;
    await openEcho();
    expect(await screenText()).toContain(`Connected to ${LOOPBACK}.`);
    session.input('hello\r');
    await vi.waitFor(() => expect(server.received().slice(receivedBefore)).toBe('hello\r\n'));
    await vi.waitFor(async () => {
      const lines = (await screenText()).split('\n');
      const at = lines.indexOf("Escape character is '^]'.");
      // The local echo of the typed line, then the server's echo of it.
      expect(lines.slice(at + 1, at + 3)).toEqual(['hello', 'hello']);
    });
  });

  test('UTF-8 goes out as UTF-8 and comes back whole', async () => {
    startTerminal();
    const receivedBefore = server.received().length;
    await openEcho();
    session.input('grüße 日本\r');
    await vi.waitFor(() => expect(server.received().slice(receivedBefore)).toBe('grüße 日本\r\n'));
    await vi.waitFor(async () => expect((await screenText()).split('\n').filter((l) => l === 'grüße 日本')).toHaveLength(2));
  });

  test('when the server closes, the terminal says so and returns to the prompt', async () => {
    startTerminal();
    await openEcho();
    session.input('bye\r');
    await vi.waitFor(async () => expect(await screenText()).toContain('Connection closed by foreign host.'));
    const lines = (await screenText()).split('\n');
    // telnet's words, and the first time in a session the same in plain words.
    expect(lines.slice(-4)).toEqual(['server: goodbye', 'Connection closed by foreign host.', '(the server closed the connection)', 'protolab>']);
  });

  test('Ctrl-] closes the connection: the server sees it close', async () => {
    startTerminal();
    await openEcho();
    const closedBefore = server.closedSockets();
    session.input('\x1d');
    expect((await screenText()).split('\n').slice(-2)).toEqual(['Connection closed.', 'protolab>']);
    await vi.waitFor(() => expect(server.closedSockets()).toBe(closedBefore + 1));
  });

  test('Ctrl-D half-closes: the server gets FIN, and its last words still show', async () => {
    startTerminal();
    await openEcho();
    session.input('\x04');
    await vi.waitFor(async () => expect(await screenText()).toContain('Connection closed by foreign host.'));
    const lines = (await screenText()).split('\n');
    expect(lines.slice(-5)).toEqual([
      '(sent FIN: this side is closed for sending; the server can still reply. Ctrl-] closes.)',
      'server: got your FIN, closing too',
      'Connection closed by foreign host.',
      '(the server closed the connection)',
      'protolab>',
    ]);
  });

  test('a port where nothing listens gives "Connection refused"', async () => {
    startTerminal();
    const port = await unusedPort();
    session.input(`open ${LOOPBACK} ${port}\r`);
    await vi.waitFor(async () => expect(await screenText()).toContain('Unable to connect to remote host: Connection refused'));
    const lines = (await screenText()).split('\n');
    // This connector knows no lab world, so the port is none of the lab's.
    expect(lines.slice(-2)).toEqual([`(nothing listens on ${LOOPBACK}:${port}; it is none of the lab's ports, which 'hosts' lists)`, 'protolab>']);
  });
});
