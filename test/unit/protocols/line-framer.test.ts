import { describe, expect, it } from 'vitest';
import { bytesToLatin1, utf8ToBytes } from '../../../src/protocols/core/bytes';
import { CAPTURE_MAX_LINE, createLineOrDatagramFramer, DatagramFramer, LineFramer, LINE_CUT_NOTE } from '../../../src/protocols/core/line-framer';

const roles = { c2s: 'request', s2c: 'response' } as const;

describe('LineFramer', () => {
  it('frames each line of each direction separately with its role', () => {
    const f = new LineFramer({ roles });
    expect(f.push('c2s', utf8ToBytes('hi\r\nthere'), 10)).toEqual([
      { dir: 'c2s', role: 'request', t: 10, bytes: utf8ToBytes('hi\r\n'), summary: '"hi\\r\\n" (4 bytes)' },
    ]);
    // The server's bytes do not end the client's pending line.
    expect(f.push('s2c', utf8ToBytes('hi\r\n'), 11)).toMatchObject([{ dir: 's2c', role: 'response', t: 11 }]);
    expect(f.push('c2s', utf8ToBytes('\r\n'), 12)).toMatchObject([{ dir: 'c2s', t: 10, summary: '"there\\r\\n" (7 bytes)' }]);
  });

  it('stamps a message with the time of its first byte', () => {
    const f = new LineFramer({ roles });
    expect(f.push('c2s', utf8ToBytes('ab'), 1)).toEqual([]);
    expect(f.push('c2s', utf8ToBytes('c'), 2)).toEqual([]);
    const out = f.push('c2s', utf8ToBytes('\nd\ne'), 3);
    expect(out.map((m) => [bytesToLatin1(m.bytes), m.t])).toEqual([
      ['abc\n', 1],
      ['d\n', 3],
    ]);
    expect(f.end('c2s')).toMatchObject([{ t: 3, partial: true, summary: '"e" (1 byte)' }]);
  });

  it('turns what is buffered at the end into one partial message, once', () => {
    const f = new LineFramer({ roles });
    f.push('s2c', utf8ToBytes('no end'), 5);
    expect(f.end('c2s')).toEqual([]);
    expect(f.end('s2c')).toEqual([{ dir: 's2c', role: 'response', t: 5, bytes: utf8ToBytes('no end'), summary: '"no end" (6 bytes)', partial: true }]);
    expect(f.end('s2c')).toEqual([]);
  });

  it('keeps a line of CAPTURE_MAX_LINE bytes whole and cuts one a byte longer', () => {
    const f = new LineFramer({ roles });
    const fits = utf8ToBytes('a'.repeat(CAPTURE_MAX_LINE - 2) + '\r\n');
    expect(f.push('c2s', fits, 0)).toHaveLength(1);
    const over = utf8ToBytes('b'.repeat(CAPTURE_MAX_LINE - 1) + '\r\n');
    const out = f.push('c2s', over, 1);
    expect(out.map((m) => m.bytes.length)).toEqual([CAPTURE_MAX_LINE, 1]);
    expect(out[0].summary.endsWith(`(${CAPTURE_MAX_LINE} bytes, ${LINE_CUT_NOTE})`)).toBe(true);
    expect(out[0].partial).toBeUndefined();
  });

  it('honours a smaller limit and stamps the continuation with the chunk that carried it', () => {
    const f = new LineFramer({ roles, maxLine: 4 });
    expect(f.push('c2s', utf8ToBytes('abc'), 1)).toEqual([]);
    const out = f.push('c2s', utf8ToBytes('defg'), 2);
    expect(out.map((m) => [bytesToLatin1(m.bytes), m.t])).toEqual([['abcd', 1]]);
    expect(f.end('c2s')).toMatchObject([{ t: 2, partial: true }]);
  });
});

describe('DatagramFramer', () => {
  it('makes each datagram one message, empty ones included, and buffers nothing', () => {
    const f = new DatagramFramer(roles);
    const buf = utf8ToBytes('ping\n');
    const [m] = f.push('c2s', buf, 7);
    buf.fill(0);
    expect(m).toEqual({ dir: 'c2s', role: 'request', t: 7, bytes: utf8ToBytes('ping\n'), summary: '"ping\\n" (5 bytes)' });
    expect(f.push('s2c', new Uint8Array(0), 8)).toMatchObject([{ role: 'response', summary: '"" (0 bytes)' }]);
    expect(f.end('c2s')).toEqual([]);
  });

  it('is what createLineOrDatagramFramer gives for UDP; TCP gets lines', () => {
    expect(createLineOrDatagramFramer({ transport: 'udp' }, roles)).toBeInstanceOf(DatagramFramer);
    expect(createLineOrDatagramFramer({ transport: 'tcp' }, roles)).toBeInstanceOf(LineFramer);
    expect(() => createLineOrDatagramFramer({ transport: 'sctp' as 'tcp' }, roles)).toThrow(/Unexpected transport/);
  });
});
