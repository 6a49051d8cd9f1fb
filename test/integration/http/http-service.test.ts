// HttpService with apps made for the test: answers leave in request order however long each takes,
// a failing app costs a 500 on that connection only, stop() ends every connection, and a broken
// sites.yaml fails the web servers with a message naming the place while the rest of the lab runs.

import fs from 'node:fs';
import net from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import type { HttpApp } from '../../../src/main/lab/http/app';
import { HttpService } from '../../../src/main/lab/http/http-service';
import { HTTP_MAX_REQUESTS_PER_CONNECTION } from '../../../src/protocols/http/limits';
import type { CaptureSink } from '../../../src/main/lab/capture/tap';
import type { ServiceContext } from '../../../src/main/lab/services/service-base';
import { AddressMap } from '../../../src/main/lab/world/address-map';
import { parseWorld } from '../../../src/main/lab/world/world';
import { freePortOffset } from '../../support/ports';
import { bodyText, header, RawConnection, startLab, useLabs } from './helpers';

useLabs();

function recordingSink(): CaptureSink & { events: string[] } {
  let next = 1;
  const events: string[] = [];
  return {
    events,
    open: (info) => {
      events.push('open');
      return { ...info, id: next++, openedAt: 0, state: 'open' };
    },
    data: () => {},
    datagram: () => {},
    close: (_id, by) => events.push(`close by ${by}`),
    reset: (_id, by) => events.push(`reset by ${by}`),
  };
}

async function serviceWith(app: HttpApp, options: { abortOnClientEnd?: boolean } = {}): Promise<{ service: HttpService; port: number; sink: ReturnType<typeof recordingSink>; released: () => boolean }> {
  const world = parseWorld('client: { name: cis.poly.edu, address: 128.238.2.93 }\nhosts:\n  - { name: gaia.cs.umass.edu, address: 128.119.245.12, services: [{ protocol: http, port: 80 }] }\n');
  const offset = await freePortOffset();
  const map = new AddressMap(world, offset);
  const binding = map.bindings()[0];
  const sink = recordingSink();
  const ctx: ServiceContext = { binding, world, sink, bindAddress: '127.0.0.1', now: Date.now, changed: () => {}, map };
  let released = false;
  const service = new HttpService(ctx, {
    ...options,
    description: 'test',
    openApp: async () => ({
      app,
      release: async () => {
        released = true;
      },
    }),
  });
  await service.start();
  return { service, port: binding.labPort, sink, released: () => released };
}

const GET = (path: string) => `GET ${path} HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n`;

describe('HttpService', () => {
  it('answers pipelined requests in order even when the first answer takes longest', async () => {
    const { service, port } = await serviceWith(async ({ request }) => {
      if (request.target === '/slow') await new Promise((r) => setTimeout(r, 200));
      return { status: 200, headers: [['Content-Type', 'text/plain']], body: `answer to ${request.target}` };
    });
    try {
      const conn = await RawConnection.open(port);
      conn.send(GET('/slow') + GET('/fast') + GET('/third'), ['GET', 'GET', 'GET']);
      expect([bodyText(await conn.response(0)), bodyText(await conn.response(1)), bodyText(await conn.response(2))]).toEqual(['answer to /slow', 'answer to /fast', 'answer to /third']);
      conn.destroy();
    } finally {
      await service.stop();
    }
  });

  it('answers at once and in order an app that answers at once, mixed with answers that take time', async () => {
    const calls: string[] = [];
    const { service, port } = await serviceWith(({ request }) => {
      calls.push(request.target);
      const answer = { status: 200, headers: [['Content-Type', 'text/plain']] as Array<[string, string]>, body: `answer to ${request.target}` };
      // The ones named "-later" answer after a timer, the rest at once: they still leave in order.
      return request.target.endsWith('later') ? new Promise((r) => setTimeout(() => r(answer), 20)) : answer;
    });
    try {
      const conn = await RawConnection.open(port);
      const targets = ['/a', '/b-later', '/c', '/d', '/e-later', '/f'];
      conn.send(targets.map(GET).join(''), targets.map(() => 'GET'));
      const bodies: string[] = [];
      for (let i = 0; i < targets.length; i++) bodies.push(bodyText(await conn.response(i)));
      expect(bodies).toEqual(targets.map((t) => `answer to ${t}`));
      expect(calls).toEqual(targets);
      conn.destroy();
    } finally {
      await service.stop();
    }
  });

  it(`answers ${HTTP_MAX_REQUESTS_PER_CONNECTION} requests pipelined in one write without the stack growing with each answer`, async () => {
    const depths: number[] = [];
    const { service, port } = await serviceWith(({ request }) => {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = Infinity;
      depths.push(new Error('depth').stack!.split('\n').length);
      Error.stackTraceLimit = limit;
      return { status: 200, body: request.target };
    });
    try {
      const conn = await RawConnection.open(port);
      const targets = Array.from({ length: HTTP_MAX_REQUESTS_PER_CONNECTION }, (_, i) => `/${i}`);
      conn.send(targets.map(GET).join(''), targets.map(() => 'GET'));
      expect(bodyText(await conn.response(HTTP_MAX_REQUESTS_PER_CONNECTION - 1))).toBe(`/${HTTP_MAX_REQUESTS_PER_CONNECTION - 1}`);
      expect(depths).toHaveLength(HTTP_MAX_REQUESTS_PER_CONNECTION);
      // Each is asked either from the socket's data handler (the first of each chunk TCP delivers)
      // or from the answer loop: two depths at most, where answering by recursion gave a thousand.
      expect(new Set(depths).size).toBeLessThanOrEqual(2);
      conn.destroy();
    } finally {
      await service.stop();
    }
  });

  /** An app that answers after `ms`, or as soon as its exchange's signal aborts; every signal it was given. */
  function slowApp(ms: number): { app: HttpApp; signals: AbortSignal[] } {
    const signals: AbortSignal[] = [];
    const app: HttpApp = async ({ signal }) => {
      signals.push(signal);
      const aborted = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      return { status: 200, body: aborted ? 'gave up' : 'done' };
    };
    return { app, signals };
  }

  it("aborts the exchange's signal when the client's connection is reset before the answer, and not before", async () => {
    const { app, signals } = slowApp(5_000);
    const { service, port } = await serviceWith(app);
    try {
      const conn = await RawConnection.open(port);
      conn.send(GET('/slow'), ['GET']);
      await vi.waitFor(() => expect(signals).toHaveLength(1));
      await new Promise((r) => setTimeout(r, 50));
      expect(signals[0].aborted).toBe(false);
      // A reset closes the server's socket at once; a FIN alone leaves it half open (see the next test).
      conn.socket.resetAndDestroy();
      await vi.waitFor(() => expect(signals[0].aborted).toBe(true));
    } finally {
      await service.stop();
    }
  });

  it('answers a client that half-closes after its request, unless told to take the FIN as the client leaving (as the web cache is)', async () => {
    const server = slowApp(200);
    const { service, port } = await serviceWith(server.app);
    const proxyLike = slowApp(5_000);
    const cache = await serviceWith(proxyLike.app, { abortOnClientEnd: true });
    try {
      const halfClosed = await RawConnection.open(port);
      halfClosed.send(GET('/'), ['GET']);
      halfClosed.end();
      expect(bodyText(await halfClosed.response())).toBe('done');
      expect(server.signals[0].aborted).toBe(false);

      const leaving = await RawConnection.open(cache.port);
      leaving.send(GET('/'), ['GET']);
      await vi.waitFor(() => expect(proxyLike.signals).toHaveLength(1));
      leaving.end();
      await vi.waitFor(() => expect(proxyLike.signals[0].aborted).toBe(true));
      expect(String(proxyLike.signals[0].reason)).toContain('the client closed its side of the connection before its answer');
      // Still written back: a half-closed client can read it.
      expect(bodyText(await leaving.response())).toBe('gave up');
    } finally {
      await service.stop();
      await cache.service.stop();
    }
  });

  it('turns an app failure into a 500 that closes that connection only', async () => {
    const { service, port } = await serviceWith(({ request }) => {
      if (request.target === '/boom') throw new Error('the site fell over');
      return { status: 200, body: 'fine' };
    });
    try {
      const other = await RawConnection.open(port);
      other.send(GET('/ok'), ['GET']);
      expect((await other.response()).status).toBe(200);
      const conn = await RawConnection.open(port);
      conn.send(GET('/boom'), ['GET']);
      const r = await conn.response();
      expect(r.status).toBe(500);
      expect(bodyText(r)).toContain('the site fell over');
      expect(header(r, 'connection')).toBe('close');
      await conn.until(() => conn.ended, 'the close after 500');
      other.send(GET('/ok'), ['GET']);
      expect((await other.response(1)).status).toBe(200);
      other.destroy();
    } finally {
      await service.stop();
    }
  });

  it('is recorded by the capture tap, and stop() ends open connections and releases the app', async () => {
    const { service, port, sink, released } = await serviceWith(() => ({ status: 204 }));
    const conn = await RawConnection.open(port);
    conn.send(GET('/'), ['GET']);
    expect((await conn.response()).status).toBe(204);
    expect(service.info()).toMatchObject({ state: 'listening', connections: 1, protocol: 'http' });
    await service.stop();
    await conn.until(() => conn.ended, 'the end of the connection');
    expect(sink.events[0]).toBe('open');
    expect(sink.events.at(-1)).toMatch(/^(reset|close) by server$/);
    expect(released()).toBe(true);
    expect(service.info().state).toBe('stopped');
    await expect(new Promise((resolve, reject) => net.connect({ host: '127.0.0.1', port }).on('connect', resolve).on('error', reject))).rejects.toThrow(/ECONNREFUSED/);
  });

  it('fails with the reason when the app cannot be opened', async () => {
    const world = parseWorld('client: { name: cis.poly.edu, address: 128.238.2.93 }\nhosts:\n  - { name: gaia.cs.umass.edu, address: 128.119.245.12, services: [{ protocol: http, port: 80 }] }\n');
    const map = new AddressMap(world, await freePortOffset());
    const binding = map.bindings()[0];
    const service = new HttpService({ binding, world, sink: recordingSink(), bindAddress: '127.0.0.1', now: Date.now, changed: () => {}, map }, {
      description: 'test',
      openApp: async () => {
        throw new Error('sites.yaml: hosts[0].root: nope');
      },
    });
    await service.start();
    expect(service.info()).toMatchObject({ state: 'failed', error: 'gaia.cs.umass.edu http: sites.yaml: hosts[0].root: nope' });
    await service.stop();
  });
});

describe('a broken sites.yaml in the data folder', () => {
  it('fails every web server with the place of the mistake, and the other services still start', async () => {
    const first = await startLab();
    const manifest = `${first.dir}/world/sites/sites.yaml`;
    await first.lab.stop();
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('status: 301', 'status: 200'));
    const t = await startLab({ dataDir: first.dir, portOffset: first.offset });
    const infos = t.lab.serviceInfos();
    const http = infos.filter((s) => s.protocol === 'http');
    expect(http.every((s) => s.state === 'failed')).toBe(true);
    expect(http[0].error).toMatch(/sites\.yaml: hosts\[1\]\.redirects\[0\]\.status: expected one of 301, 302, 303, 307, 308, got 200/);
    expect(infos.filter((s) => s.protocol !== 'http').every((s) => s.state === 'listening')).toBe(true);
    // A reset restores the shipped manifest, and the web servers start.
    const snap = await t.lab.api.resetData();
    expect(snap.services.filter((s) => s.protocol === 'http').every((s) => s.state === 'listening')).toBe(true);
  });
});
