import { describe, expect, it } from 'vitest';
import type { ConnectionInfo, MessageDetail } from '../../../src/shared/capture';
import type { ServiceInfo } from '../../../src/shared/lab-api';
import { listProtocols } from '../../../src/protocols/registry';
import { withConnectionUpdate } from '../../../src/renderer/lib/connection-updates';
import { parseDisplayFilter } from '../../../src/renderer/lib/display-filter';
import { filterPlaceholder, unknownProtocolNote } from '../../../src/renderer/lib/filter-examples';
import { connectCommand, emptyCaptureHint } from '../../../src/renderer/lib/services';
import {
  DETAILS_DEFAULT_MAX_SHARE,
  MAX_SPLIT_FRACTION,
  MIN_SPLIT_FRACTION,
  SPLITTER_PX,
  fractionForSecondWidth,
  secondWidthForFraction,
} from '../../../src/renderer/lib/split';

describe('the filter box’s examples', () => {
  const ids = listProtocols().map((m) => m.id);

  it('name only protocols the lab has, and not the raw fallback', () => {
    const text = filterPlaceholder(ids);
    expect(text.startsWith('Filter: ')).toBe(true);
    const named = [...text.matchAll(/(?:^Filter: |· )(?:proto:|!)?([a-z0-9-]+)(?= ·|$)/g)].map((m) => m[1]);
    expect(named.length).toBe(3);
    for (const name of named) expect(ids).toContain(name);
    expect(named).not.toContain('raw');
    expect(text).toContain('"any phrase"');
  });

  it('is a filter that parses', () => {
    const parsed = parseDisplayFilter(filterPlaceholder(ids).slice('Filter: '.length).replaceAll(' · ', ' '));
    expect(parsed.ok).toBe(true);
  });

  it('repeats what there is when the lab has few protocols', () => {
    expect(filterPlaceholder(['echo', 'raw'])).toBe('Filter: echo · proto:echo · "any phrase" · !echo');
    expect(filterPlaceholder(['raw'])).toBe('Filter: raw · proto:raw · "any phrase" · !raw');
  });

  it('notes a proto: name the lab has no module for', () => {
    const f = (text: string) => {
      const p = parseDisplayFilter(text);
      if (!p.ok) throw new Error(p.error);
      return p.filter;
    };
    expect(unknownProtocolNote(f('proto:echo hello'), ['echo', 'raw'])).toBeNull();
    expect(unknownProtocolNote(f('proto:smtp !proto:smtp'), ['echo', 'raw'])).toBe("no protocol 'smtp' in this lab yet; it has echo, raw");
    expect(unknownProtocolNote(f('smtp'), ['echo'])).toBeNull();
    expect(unknownProtocolNote(null, ['echo'])).toBeNull();
  });
});

describe('the empty packet list’s hint', () => {
  const svc = (protocol: string, wellKnownPort: number, transport: 'tcp' | 'udp', state: ServiceInfo['state'] = 'listening'): ServiceInfo => ({
    id: `gaia.cs.umass.edu/${protocol}/${transport}`,
    protocol,
    transport,
    hostname: 'gaia.cs.umass.edu',
    virtualAddress: '128.119.245.12',
    wellKnownPort,
    address: '127.0.0.1',
    port: 10000 + wellKnownPort,
    state,
    connections: 0,
    description: '',
  });

  it('suggests the echo server when it listens, else another TCP server', () => {
    expect(connectCommand([svc('daytime', 13, 'tcp'), svc('echo', 7, 'udp'), svc('echo', 7, 'tcp')])).toBe('open gaia.cs.umass.edu 7');
    expect(connectCommand([svc('daytime', 13, 'tcp'), svc('echo', 7, 'tcp', 'stopped')])).toBe('open gaia.cs.umass.edu 13');
    expect(connectCommand([svc('echo', 7, 'udp')])).toBeNull();
    expect(emptyCaptureHint([svc('echo', 7, 'tcp')])).toBe('No messages yet — open a connection in the terminal, e.g. open gaia.cs.umass.edu 7, and type a line.');
    expect(emptyCaptureHint([])).toMatch(/^No messages yet — start a server/);
  });
});

describe('a loaded message’s connection', () => {
  const conn = (over: Partial<ConnectionInfo> = {}): ConnectionInfo => ({
    id: 1,
    transport: 'tcp',
    protocol: 'echo',
    serviceId: 'gaia.cs.umass.edu/echo/tcp',
    side: 'server',
    client: { address: '127.0.0.1', port: 40000, virtualAddress: '128.238.2.93', virtualPort: 40000, hostname: 'cis.poly.edu' },
    server: { address: '127.0.0.1', port: 10007, virtualAddress: '128.119.245.12', virtualPort: 7, hostname: 'gaia.cs.umass.edu' },
    openedAt: 10,
    state: 'open',
    ...over,
  });
  const detail: MessageDetail = {
    id: 1,
    connId: 1,
    protocol: 'echo',
    transport: 'tcp',
    dir: 'c2s',
    role: 'request',
    t: 12,
    length: 7,
    summary: 'hello',
    source: 'cis.poly.edu:40000',
    destination: 'gaia.cs.umass.edu:7',
    bytes: 'aGVsbG8NCg==',
    conn: conn(),
  };

  it('takes the newest state a batch reports for it', () => {
    const closed = withConnectionUpdate(detail, [conn({ id: 2, state: 'reset' }), conn({ state: 'closed', closedAt: 50 })]);
    expect(closed.conn?.state).toBe('closed');
    expect(closed.conn?.closedAt).toBe(50);
    expect(closed.bytes).toBe(detail.bytes);
    expect(detail.conn?.state).toBe('open');
  });

  it('keeps the same object when nothing about it changed', () => {
    expect(withConnectionUpdate(detail, [])).toBe(detail);
    expect(withConnectionUpdate(detail, [conn({ id: 2, state: 'closed' })])).toBe(detail);
    expect(withConnectionUpdate(detail, [conn()])).toBe(detail);
  });

  it('fills in a connection the detail no longer had', () => {
    const { conn: _, ...evicted } = detail;
    expect(withConnectionUpdate(evicted, [conn({ state: 'closed' })]).conn?.state).toBe('closed');
  });
});

describe('the details half’s width in pixels', () => {
  it('leaves the second pane the width asked for, the first takes the rest', () => {
    const container = 1160;
    const f = fractionForSecondWidth(540, container, DETAILS_DEFAULT_MAX_SHARE);
    expect(secondWidthForFraction(f, container)).toBeCloseTo(540, 6);
    expect(f * (container - SPLITTER_PX)).toBeCloseTo(container - SPLITTER_PX - 540, 6);
  });

  it('caps the default at its share of a small window, and clamps like the splitter', () => {
    expect(fractionForSecondWidth(540, 805, DETAILS_DEFAULT_MAX_SHARE)).toBeCloseTo(1 - DETAILS_DEFAULT_MAX_SHARE, 6);
    expect(fractionForSecondWidth(5000, 1000)).toBe(MIN_SPLIT_FRACTION);
    expect(fractionForSecondWidth(0, 1000)).toBe(MAX_SPLIT_FRACTION);
    expect(fractionForSecondWidth(540, 0)).toBe(0.5);
    expect(secondWidthForFraction(0.5, SPLITTER_PX - 1)).toBe(0);
  });
});
