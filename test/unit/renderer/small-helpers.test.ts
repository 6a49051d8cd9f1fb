import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServiceInfo } from '../../../src/shared/lab-api';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../../src/shared/csp';
import { RECONNECT_BASE_MS, RECONNECT_MAX_MS, reconnectDelay } from '../../../src/renderer/bridge/backoff';
import { labWebSocketUrl } from '../../../src/renderer/bridge/ws-url';
import { parseWireFrame } from '../../../src/renderer/bridge/wire-frames';
import { MAX_SPLIT_FRACTION, MIN_SPLIT_FRACTION, clampFraction, fractionAt } from '../../../src/renderer/lib/split';
import { connectionCountText, sortServices } from '../../../src/renderer/lib/services';
import { linkBanner, linkText } from '../../../src/renderer/lib/link-text';

describe('reconnect backoff', () => {
  it('doubles from the base delay up to the cap', () => {
    expect(reconnectDelay(0)).toBe(RECONNECT_BASE_MS);
    expect(reconnectDelay(1)).toBe(RECONNECT_BASE_MS * 2);
    expect(reconnectDelay(2)).toBe(RECONNECT_BASE_MS * 4);
    expect(reconnectDelay(4)).toBe(RECONNECT_BASE_MS * 16);
    expect(reconnectDelay(5)).toBe(RECONNECT_MAX_MS);
    expect(reconnectDelay(5000)).toBe(RECONNECT_MAX_MS);
    expect(reconnectDelay(-3)).toBe(RECONNECT_BASE_MS);
  });
});

describe('the web face URL', () => {
  it('is /api on the page host, wss for https pages', () => {
    expect(labWebSocketUrl({ protocol: 'http:', host: '127.0.0.1:18080' })).toBe('ws://127.0.0.1:18080/api');
    expect(labWebSocketUrl({ protocol: 'https:', host: 'localhost:8443' })).toBe('wss://localhost:8443/api');
  });
});

describe('wire frames from the core', () => {
  it('accepts results and known events', () => {
    expect(parseWireFrame('{"kind":"result","id":3,"ok":true,"value":[1]}')).toEqual({ ok: true, frame: { kind: 'result', id: 3, ok: true, value: [1] } });
    expect(parseWireFrame('{"kind":"result","id":4,"ok":false,"error":"no such service"}')).toEqual({ ok: true, frame: { kind: 'result', id: 4, ok: false, error: 'no such service' } });
    expect(parseWireFrame('{"kind":"event","name":"terminal","payload":{"terminalId":"t1","data":"x"}}').ok).toBe(true);
  });

  it('drops malformed frames with a reason', () => {
    expect(parseWireFrame('not json')).toEqual({ ok: false, error: 'a frame from the lab core is not valid JSON' });
    expect(parseWireFrame('42')).toEqual({ ok: false, error: 'a frame from the lab core is not an object' });
    expect(parseWireFrame('{"kind":"result","ok":true}').ok).toBe(false);
    expect(parseWireFrame('{"kind":"event","name":"rm -rf"}')).toEqual({ ok: false, error: 'an event frame names an unknown event: "rm -rf"' });
    expect(parseWireFrame('{"kind":"call","id":1}').ok).toBe(false);
  });
});

describe('splitter arithmetic', () => {
  it('keeps both panes usable', () => {
    expect(clampFraction(0.5)).toBe(0.5);
    expect(clampFraction(0)).toBe(MIN_SPLIT_FRACTION);
    expect(clampFraction(1)).toBe(MAX_SPLIT_FRACTION);
    expect(clampFraction(Number.NaN)).toBe(0.5);
    expect(fractionAt(300, 100, 400)).toBe(0.5);
    expect(fractionAt(90, 100, 400)).toBe(MIN_SPLIT_FRACTION);
    expect(fractionAt(10, 0, 0)).toBe(0.5);
  });
});

describe('servers panel helpers', () => {
  const svc = (hostname: string, protocol: string, wellKnownPort: number, transport: 'tcp' | 'udp', connections = 0): ServiceInfo => ({
    id: `${hostname}/${protocol}/${transport}`,
    protocol,
    transport,
    hostname,
    virtualAddress: '128.119.245.12',
    wellKnownPort,
    address: '127.0.0.1',
    port: 10000 + wellKnownPort,
    state: 'listening',
    connections,
    description: '',
  });

  it('orders by host, then port, then transport', () => {
    const sorted = sortServices([svc('gaia.cs.umass.edu', 'daytime', 13, 'udp'), svc('dns.umass.edu', 'dns', 53, 'udp'), svc('gaia.cs.umass.edu', 'echo', 7, 'udp'), svc('gaia.cs.umass.edu', 'echo', 7, 'tcp')]);
    expect(sorted.map((s) => s.id)).toEqual(['dns.umass.edu/dns/udp', 'gaia.cs.umass.edu/echo/tcp', 'gaia.cs.umass.edu/echo/udp', 'gaia.cs.umass.edu/daytime/udp']);
  });

  it('counts connections for TCP and peers for UDP', () => {
    expect(connectionCountText({ connections: 1, transport: 'tcp' })).toBe('1 connection');
    expect(connectionCountText({ connections: 2, transport: 'tcp' })).toBe('2 connections');
    expect(connectionCountText({ connections: 0, transport: 'udp' })).toBe('0 peers');
  });
});

describe('link status text', () => {
  it('describes each state, with a countdown while down', () => {
    expect(linkText({ state: 'open', epoch: 1 }, 0)).toBe('connected');
    expect(linkText({ state: 'connecting', epoch: 1 }, 0)).toBe('connecting…');
    expect(linkText({ state: 'down', epoch: 1, retryAt: 2100 }, 0)).toBe('disconnected, retrying in 3 s');
    expect(linkText({ state: 'down', epoch: 1, retryAt: 100 }, 200)).toBe('disconnected, retrying…');
  });

  it('shows a banner only while the link is not open', () => {
    expect(linkBanner({ state: 'open', epoch: 2 }, 0)).toBeNull();
    expect(linkBanner({ state: 'connecting', epoch: 0 }, 0)).toEqual({ kind: 'connecting', text: 'Connecting to the lab core…' });
    const down = linkBanner({ state: 'down', epoch: 1, reason: 'cannot reach the lab core at ws://127.0.0.1:1/api', retryAt: 1000 }, 0);
    expect(down?.kind).toBe('down');
    expect(down?.text).toMatch(/^Disconnected from the lab core: cannot reach the lab core at ws:\/\/127\.0\.0\.1:1\/api\. Disconnected, retrying in 1 s\./);
  });
});

describe('index.html', () => {
  it('carries the same Content-Security-Policy as the web face and Electron, less what a <meta> cannot carry', () => {
    const html = fs.readFileSync(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8');
    const meta = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/);
    expect(meta?.[1]).toBe(META_CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toBe(`${META_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
  });

  it('links a favicon that exists, so the page asks for nothing that 404s', () => {
    const html = fs.readFileSync(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8');
    const href = html.match(/rel="icon"[^>]*href="\.\/([^"]+)"/)?.[1];
    expect(href).toBe('favicon.svg');
    expect(fs.existsSync(new URL(`../../../src/renderer/public/${href}`, import.meta.url))).toBe(true);
  });
});
