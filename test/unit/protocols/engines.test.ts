import { describe, expect, it } from 'vitest';
import { bytesToLatin1, utf8ToBytes } from '../../../src/protocols/core/bytes';
import { reachableStates } from '../../../src/protocols/core/state-machine';
import {
  DAYTIME_PORT,
  DAYTIME_TRANSITIONS,
  DaytimeTcpEngine,
  DaytimeUdpEngine,
  DATE_MAX_ABS_MS,
  daytimeLine,
  formatDaytime,
  parseDaytime,
} from '../../../src/protocols/daytime';
import { DISCARD_PORT, DISCARD_TRANSITIONS, DiscardTcpEngine, DiscardUdpEngine } from '../../../src/protocols/discard';
import { ECHO_PORT, ECHO_TRANSITIONS, ECHO_UDP_MAX_DATAGRAM, EchoTcpEngine, EchoUdpEngine } from '../../../src/protocols/echo';

const NOW = Date.UTC(2026, 10, 25, 10, 15, 0); // Wednesday, November 25, 2026 10:15:00 UTC
const sent = (out: { send: Uint8Array[] }) => out.send.map((b) => bytesToLatin1(b));

describe('well-known ports', () => {
  it('are the ones the RFCs assign', () => {
    expect([ECHO_PORT, DISCARD_PORT, DAYTIME_PORT]).toEqual([7, 9, 13]);
  });
});

describe('echo engine (TCP)', () => {
  it('waits silently for the client, then returns every chunk unchanged', () => {
    const e = new EchoTcpEngine();
    expect(e.connected()).toEqual({ send: [], close: false });
    expect(sent(e.receive(utf8ToBytes('hello\r\n')))).toEqual(['hello\r\n']);
    expect(sent(e.receive(utf8ToBytes('no line end')))).toEqual(['no line end']);
    expect(e.receive(new Uint8Array(0))).toEqual({ send: [], close: false });
    expect(e.state).toBe('echoing');
  });

  it('returns a copy, so the caller may reuse its buffer', () => {
    const e = new EchoTcpEngine();
    const buf = utf8ToBytes('abc');
    const out = e.receive(buf);
    buf.fill(0);
    expect(sent(out)).toEqual(['abc']);
  });

  it('closes when the client half-closes, and reports data after that as a problem', () => {
    const e = new EchoTcpEngine();
    expect(e.peerEnded()).toEqual({ send: [], close: true });
    expect(e.state).toBe('closed');
    const late = e.receive(utf8ToBytes('late'));
    expect(late.send).toEqual([]);
    expect(late.problem).toMatch(/"data" is not allowed in state "closed"/);
  });

  it('can reach every state in its table', () => {
    expect(reachableStates(ECHO_TRANSITIONS, 'echoing')).toEqual(new Set(Object.keys(ECHO_TRANSITIONS)));
  });
});

describe('echo engine (UDP)', () => {
  it('answers each datagram with one holding the same data, empty ones too', () => {
    const e = new EchoUdpEngine();
    expect(sent(e.receive(utf8ToBytes('ping\n')))).toEqual(['ping\n']);
    expect(e.receive(new Uint8Array(0)).send).toEqual([new Uint8Array(0)]);
  });

  it('echoes a datagram of exactly the UDP maximum and refuses one a byte larger', () => {
    expect(ECHO_UDP_MAX_DATAGRAM).toBe(65507);
    const e = new EchoUdpEngine();
    expect(e.receive(new Uint8Array(ECHO_UDP_MAX_DATAGRAM)).send[0]).toHaveLength(ECHO_UDP_MAX_DATAGRAM);
    const over = e.receive(new Uint8Array(ECHO_UDP_MAX_DATAGRAM + 1));
    expect(over.send).toEqual([]);
    expect(over.close).toBe(false);
    expect(over.problem).toMatch(/65508-byte datagram exceeds the 65507-byte/);
  });
});

describe('discard engine', () => {
  it('sends nothing and counts what it dropped over TCP', () => {
    const e = new DiscardTcpEngine();
    expect(e.connected()).toEqual({ send: [], close: false });
    expect(e.receive(utf8ToBytes('hello\r\n'))).toEqual({ send: [], close: false });
    expect(e.receive(utf8ToBytes('abc'))).toEqual({ send: [], close: false });
    expect(e.bytesDiscarded).toBe(10);
    expect(e.peerEnded()).toEqual({ send: [], close: true });
    expect(e.receive(utf8ToBytes('x')).problem).toMatch(/not allowed in state "closed"/);
    expect(e.bytesDiscarded).toBe(10);
    expect(reachableStates(DISCARD_TRANSITIONS, 'discarding')).toEqual(new Set(['discarding', 'closed']));
  });

  it('drops every datagram and counts them', () => {
    const e = new DiscardUdpEngine();
    expect(e.receive(utf8ToBytes('one'))).toEqual({ send: [], close: false });
    e.receive(new Uint8Array(0));
    expect(e.datagramsDiscarded).toBe(2);
    expect(e.bytesDiscarded).toBe(3);
  });
});

describe('daytime engine', () => {
  it('sends the date line on connect and asks to close', () => {
    const e = new DaytimeTcpEngine();
    expect(e.state).toBe('greeting');
    const out = e.connected(NOW);
    expect(sent(out)).toEqual(['Wednesday, November 25, 2026 10:15:00-UTC\r\n']);
    expect(out.close).toBe(true);
    expect(e.state).toBe('closing');
  });

  it('throws away anything the client sends after that, then closes on its FIN', () => {
    const e = new DaytimeTcpEngine();
    e.connected(NOW);
    expect(e.receive()).toEqual({ send: [], close: false });
    expect(e.peerEnded()).toEqual({ send: [], close: true });
    expect(e.state).toBe('closed');
    expect(reachableStates(DAYTIME_TRANSITIONS, 'greeting')).toEqual(new Set(['greeting', 'closing', 'closed']));
  });

  it('reports data before the connection was announced as a problem, not a crash', () => {
    const e = new DaytimeTcpEngine();
    const out = e.receive();
    expect(out.send).toEqual([]);
    expect(out.problem).toMatch(/"data" is not allowed in state "greeting"/);
    expect(e.connected(NOW).send).toHaveLength(1);
    expect(e.connected(NOW).problem).toMatch(/"connected" is not allowed in state "closing"/);
  });

  it('closes without a date when the clock gives no time', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, DATE_MAX_ABS_MS + 1]) {
      const out = new DaytimeTcpEngine().connected(bad);
      expect(out.send).toEqual([]);
      expect(out.close).toBe(true);
      expect(out.problem).toMatch(/not a time/);
    }
  });

  it('answers any datagram with the date line', () => {
    const e = new DaytimeUdpEngine();
    expect(sent(e.receive(new Uint8Array(0), NOW))).toEqual(['Wednesday, November 25, 2026 10:15:00-UTC\r\n']);
    expect(sent(e.receive(utf8ToBytes('what time?'), NOW + 61_000))).toEqual(['Wednesday, November 25, 2026 10:16:01-UTC\r\n']);
    expect(e.receive(utf8ToBytes('x'), Number.NaN)).toMatchObject({ send: [], close: false });
  });
});

describe('daytime format', () => {
  it('pads the time, not the day, and uses UTC', () => {
    expect(formatDaytime(Date.UTC(2024, 1, 29, 3, 4, 5))).toBe('Thursday, February 29, 2024 03:04:05-UTC');
    expect(formatDaytime(0)).toBe('Thursday, January 1, 1970 00:00:00-UTC');
    expect(formatDaytime(DATE_MAX_ABS_MS)).toMatch(/^Saturday, September 13, 275760 00:00:00-UTC$/);
    expect(() => formatDaytime(DATE_MAX_ABS_MS + 1)).toThrow(RangeError);
  });

  it('ends the line with CR LF', () => {
    expect(bytesToLatin1(daytimeLine(NOW)).endsWith('-UTC\r\n')).toBe(true);
  });

  it('reads its own format back and checks the weekday', () => {
    for (const t of [NOW, 0, Date.UTC(2000, 11, 31, 23, 59, 59)]) {
      expect(parseDaytime(formatDaytime(t))).toEqual({ iso: new Date(t).toISOString().replace('.000Z', 'Z'), weekdayMatches: true });
    }
    expect(parseDaytime('Monday, November 25, 2026 10:15:00-UTC')?.weekdayMatches).toBe(false);
    expect(parseDaytime('Monday, February 30, 2026 10:15:00-UTC')).toBeNull();
    expect(parseDaytime('Wednesday, November 25, 2026 24:00:00-UTC')).toBeNull();
    expect(parseDaytime('Wed Nov 25 10:15:00 2026')).toBeNull();
  });
});
