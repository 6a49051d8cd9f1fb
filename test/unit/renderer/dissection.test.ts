import { describe, expect, it } from 'vitest';
import type { ConnectionInfo, MessageDetail } from '../../../src/shared/capture';
import { bytesToBase64, utf8ToBytes } from '../../../src/protocols/core/bytes';
import { getProtocol } from '../../../src/protocols/registry';
import type { ProtocolModule } from '../../../src/protocols/registry-types';
import { dissectMessage, dissectionContext } from '../../../src/renderer/lib/dissection';
import { frameLines, frameTitle, withLivePairing } from '../../../src/renderer/lib/frame-summary';

const conn: ConnectionInfo = {
  id: 3,
  transport: 'tcp',
  protocol: 'echo',
  serviceId: 'gaia.cs.umass.edu/echo',
  side: 'server',
  client: { address: '127.0.0.1', port: 54321, virtualAddress: '128.238.2.93', virtualPort: 54321, hostname: 'cis.poly.edu' },
  server: { address: '127.0.0.1', port: 10007, virtualAddress: '128.119.245.12', virtualPort: 7, hostname: 'gaia.cs.umass.edu' },
  openedAt: 1000,
  state: 'open',
};

function detail(text: string, extra: Partial<MessageDetail> = {}): MessageDetail {
  const bytes = utf8ToBytes(text);
  return {
    id: 7,
    connId: 3,
    protocol: 'echo',
    transport: 'tcp',
    dir: 'c2s',
    role: 'request',
    t: 1234.56,
    length: bytes.length,
    summary: JSON.stringify(text),
    source: 'cis.poly.edu:54321',
    destination: 'gaia.cs.umass.edu:7',
    bytes: bytesToBase64(bytes),
    conn,
    ...extra,
  };
}

describe('dissectMessage', () => {
  it('decodes the bytes and runs the protocol module from the registry', () => {
    const d = dissectMessage(detail('hello\r\n'), getProtocol);
    expect(Array.from(d.bytes)).toEqual(Array.from(utf8ToBytes('hello\r\n')));
    expect(d.protocolTitle).toBe('Echo (RFC 862)');
    expect(d.error).toBeUndefined();
    expect(d.nodes[0].children?.map((n) => n.id)).toContain('echo.data');
    expect(d.fields['echo.data'].rfc).toBe('RFC 862');
    expect(d.explanation?.title).toBe('Echo request');
  });

  it('passes direction, role, transport and partial to the dissector', () => {
    expect(dissectionContext({ dir: 's2c', role: 'response', transport: 'udp' })).toEqual({ dir: 's2c', role: 'response', transport: 'udp' });
    expect(dissectionContext({ dir: 'c2s', role: 'request', transport: 'tcp', partial: true }).partial).toBe(true);
  });

  it('gives the dissector the paired message, so an HTTP response says which request it answers and when', () => {
    const request = detail('GET / HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n', { id: 3, t: 100, protocol: 'http' });
    const response = detail('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi', { id: 4, t: 112.5, protocol: 'http', dir: 's2c', role: 'response', responseTo: 3 });
    const d = dissectMessage(response, getProtocol, request);
    const lines = JSON.stringify(d.nodes);
    expect(lines).toContain('Response to request #3');
    expect(lines).toContain('Time since request: 13 ms');
    expect(dissectionContext(response, request).pairedWith?.id).toBe(3);
  });

  it('turns a dissector that throws into an error line and keeps the bytes', () => {
    const broken: ProtocolModule = { ...getProtocol('echo'), title: 'Broken', dissect: () => { throw new Error('offset out of range'); } };
    const d = dissectMessage(detail('abc'), () => broken);
    expect(d.nodes).toEqual([]);
    expect(d.bytes).toHaveLength(3);
    expect(d.error).toBe('the Broken dissector failed on this message: offset out of range');
  });

  it('reports a lookup that fails', () => {
    const d = dissectMessage(detail('abc', { protocol: 'nope' }), () => {
      throw new Error('unknown protocol');
    });
    expect(d.error).toBe("no dissector for 'nope': unknown protocol");
    expect(d.bytes).toHaveLength(3);
  });
});

describe('frame summary', () => {
  it('names the answer of a request, or says none came before the connection ended; the row of the same message may know newer', () => {
    const request = detail('x', { role: 'request' });
    expect(frameLines({ ...request, answeredBy: 9 }).find((l) => l.label === 'Answered by')).toMatchObject({ value: '#9', linkTo: 9 });
    expect(frameLines({ ...request, noReply: true }).find((l) => l.label === 'Answered by')).toMatchObject({ value: 'none (the connection ended before a response came)', warn: true });
    expect(frameLines(request).some((l) => l.label === 'Answered by')).toBe(false);
    const row = { ...request, bytes: undefined };
    expect(withLivePairing(request, { ...row, noReply: true }).noReply).toBe(true);
    expect(withLivePairing({ ...request, noReply: true }, { ...row, answeredBy: 9 })).toMatchObject({ answeredBy: 9, noReply: undefined });
    // Another message's row (a new selection, its detail not loaded yet) says nothing of this one.
    expect(withLivePairing(request, { ...row, id: request.id + 1, answeredBy: 9 })).toBe(request);
  });

  it('says who closed the connection (first FIN) or reset it', () => {
    const closed = frameLines(detail('x', { conn: { ...conn, state: 'closed', closedAt: 2500, closedBy: 'server' } }));
    expect(closed.find((l) => l.label === 'Closed')?.value).toBe('by the server (gaia.cs.umass.edu (128.119.245.12):7), which sent the first FIN at 2.500 s');
    const reset = frameLines(detail('x', { conn: { ...conn, state: 'reset', closedAt: 2500, closedBy: 'client', closeReason: 'ECONNRESET' } }));
    expect(reset.find((l) => l.label === 'Ended')).toMatchObject({ warn: true });
    expect(reset.find((l) => l.label === 'Ended')?.value).toContain('reset by the client');
    expect(frameLines(detail('x')).some((l) => l.label === 'Closed' || l.label === 'Ended')).toBe(false);
  });

  it('says a UDP flow ended without a FIN or a connection to close', () => {
    const udp: ConnectionInfo = { ...conn, transport: 'udp', protocol: 'dns', state: 'closed', closedAt: 28469, closedBy: 'client' };
    const byClient = frameLines(detail('x', { transport: 'udp', conn: udp }));
    expect(byClient[0].value).toMatch(/^#\d+ UDP dns, ended/);
    const ended = byClient.find((l) => l.label === 'Flow ended');
    expect(ended?.value).toBe('the lab stopped tracking this UDP exchange at 28.469 s, when the client (cis.poly.edu (128.238.2.93):54321) closed its socket (UDP has no connection to close)');
    expect(ended?.warn).toBeUndefined();
    expect(JSON.stringify(byClient)).not.toMatch(/FIN|Closed/);
    // Idle, or its service stopped: the capture side let it go.
    const idle = frameLines(detail('x', { transport: 'udp', conn: { ...udp, closedBy: 'server' } }));
    expect(idle.find((l) => l.label === 'Flow ended')?.value).toBe('the lab stopped tracking this UDP exchange at 28.469 s (UDP has no connection to close)');
    const stopped = frameLines(detail('x', { transport: 'udp', conn: { ...udp, state: 'reset', closedBy: 'server', closeReason: 'the lab stopped' } }));
    expect(stopped.find((l) => l.label === 'Flow ended')?.value).toBe('the lab stopped tracking this UDP exchange at 28.469 s: the lab stopped (UDP has no connection to close)');
    expect(stopped.some((l) => l.label === 'Ended' || l.warn)).toBe(false);
    const live = frameLines(detail('x', { transport: 'udp', conn: { ...udp, state: 'open', closedAt: undefined, closedBy: undefined } }));
    expect(live[0].value).toMatch(/^#\d+ UDP dns, active/);
    expect(live.some((l) => l.label === 'Flow ended')).toBe(false);
  });

  it('names the connection ends in the world and on loopback, the time and the pairing', () => {
    const d = detail('hello\r\n', { answeredBy: 8 });
    expect(frameTitle(d)).toBe('Message #7: 7 bytes, TCP client → server');
    const lines = frameLines(d);
    const byLabel = Object.fromEntries(lines.map((l) => [l.label, l]));
    expect(byLabel.Client.value).toBe('cis.poly.edu (128.238.2.93):54321  (really 127.0.0.1:54321)');
    expect(byLabel.Server.value).toBe('gaia.cs.umass.edu (128.119.245.12):7  (really 127.0.0.1:10007)');
    expect(byLabel.Time.value).toBe('1.235 s since the capture started');
    expect(byLabel['Answered by']).toEqual({ label: 'Answered by', value: '#8', linkTo: 8 });
    expect(byLabel['Response to']).toBeUndefined();
  });

  it('links a response to its request, flags partial messages, and copes without the connection', () => {
    const lines = frameLines(detail('x', { responseTo: 6, partial: true, conn: undefined, dir: 's2c' }));
    expect(lines.find((l) => l.label === 'Response to')).toEqual({ label: 'Response to', value: '#6', linkTo: 6 });
    expect(lines.find((l) => l.label === 'Partial')?.warn).toBe(true);
    expect(lines[0].value).toContain('#3');
    expect(lines.some((l) => l.label === 'Client')).toBe(false);
  });
});
