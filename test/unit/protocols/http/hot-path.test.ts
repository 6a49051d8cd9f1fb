// The shortcuts on the HTTP hot path give exactly what the long way gives: the date cache, the
// byte queue's memo and mark, the framer reading only the fields that frame a message and
// repeating a connection's summaries, the ASCII fast paths of the serializer and the
// percent-decoder, and the plain Content-Length.

import { describe, expect, it } from 'vitest';
import { HTTP_DATE_CACHE_SLOTS, formatHttpDate } from '../../../../src/protocols/http/dates';
import { ByteQueue, TEXT_MEMO_MAX_CHARS, TextMemo } from '../../../../src/protocols/http/byte-queue';
import { percentDecode } from '../../../../src/protocols/http/forms';
import { HTTP_CAPTURE_MAX_HEAD, HTTP_CAPTURE_SPILL_BYTES, HttpFramer } from '../../../../src/protocols/http/framer';
import { RequestParser } from '../../../../src/protocols/http/parser';
import { serializeResponse } from '../../../../src/protocols/http/serialize';
import { parseContentLength, parseFieldLine } from '../../../../src/protocols/http/syntax';
import { kept } from '../../../support/framed';
import { byteByByte, latin1, text } from './helpers';

describe('formatHttpDate', () => {
  it(`remembers HTTP_DATE_CACHE_SLOTS (${HTTP_DATE_CACHE_SLOTS}) seconds, and formats one more correctly too`, () => {
    const base = Date.UTC(1994, 10, 6, 8, 49, 37);
    const seconds = Array.from({ length: HTTP_DATE_CACHE_SLOTS + 1 }, (_, i) => base + i * 1000);
    const expected = seconds.map((ms) => new Date(ms).toUTCString());
    // Twice over, so the second pass reads slots written by the first and by each other.
    for (let pass = 0; pass < 2; pass++) {
      seconds.forEach((ms, i) => {
        expect(formatHttpDate(ms + 999)).toBe(expected[i]);
        expect(formatHttpDate(ms)).toBe(expected[i]);
      });
    }
    expect(formatHttpDate(Number.NaN)).toBe(formatHttpDate(Number.NaN));
  });
});

describe('ByteQueue text', () => {
  it('gives the text of the bytes, through a memo too, even when they change and keep their length', () => {
    const q = new ByteQueue();
    const memo = new TextMemo();
    const lines = ['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 404 No', 'HTTP/1.1 404 No', 'HTTP/1.1 200 OK!', 'caf\xe9', `GET /${'x'.repeat(TEXT_MEMO_MAX_CHARS)} HTTP/1.1`];
    const seen: string[] = [];
    for (const line of lines) {
      q.append(latin1(`${line}\r\n`));
      seen.push(q.text(line.length, 0, memo));
      expect(q.text(line.length, 4)).toBe(line.slice(4));
      q.skip(line.length + 2);
    }
    expect(seen).toEqual(lines);
  });
});

describe('ByteQueue mark', () => {
  it('keeps the marked bytes through appends that compact and grow the buffer', () => {
    const q = new ByteQueue();
    q.append(latin1('junk'));
    q.skip(4);
    q.mark();
    const expected: string[] = [];
    for (let i = 0; i < 500; i++) {
      const piece = `line ${i}\r\n`;
      q.append(latin1(piece));
      q.skip(piece.length);
      expected.push(piece);
    }
    q.append(latin1('rest'));
    expect(text(q.takeMarked())).toBe(expected.join(''));
    expect(q.marked).toBe(false);
    expect(text(q.drain())).toBe('rest');
    expect(q.takeMarked().length).toBe(0);
  });

  it('gives a parsed request the head exactly as received, however it was split', () => {
    const head = 'GET / HTTP/1.1\nHost: a\r\nX: y\r\n\r\n';
    const parser = new RequestParser();
    const events = byteByByte(latin1(`\r\n${head}`)).flatMap((b) => parser.push(b));
    const request = events.find((e) => e.type === 'request');
    expect(request?.type === 'request' && text(request.request.head)).toBe(head);
  });
});

describe('HTTP framer, fields it reads', () => {
  function frame(response: string, request = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n') {
    const f = new HttpFramer();
    const out = [...kept(f.push('c2s', latin1(request), 0)), ...kept(f.push('s2c', latin1(response), 1)), ...kept(f.end('s2c'))];
    return out.filter((m) => m.dir === 's2c').map((m) => ({ text: text(m.bytes), summary: m.summary, partial: m.partial === true }));
  }

  it('finds Content-Length, Transfer-Encoding and Content-Type in any letter case', () => {
    expect(frame('HTTP/1.1 200 OK\r\ncONTENT-lENGTH: 2\r\nCONTENT-TYPE: Text/Plain\r\n\r\nokHTTP/1.1 204 No Content\r\n\r\n')).toEqual([
      { text: 'HTTP/1.1 200 OK\r\ncONTENT-lENGTH: 2\r\nCONTENT-TYPE: Text/Plain\r\n\r\nok', summary: 'HTTP/1.1 200 OK (text/plain)', partial: false },
      { text: 'HTTP/1.1 204 No Content\r\n\r\n', summary: 'HTTP/1.1 204 No Content', partial: false },
    ]);
    expect(frame('HTTP/1.1 200 OK\r\nTransfer-ENCODING: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n')).toEqual([
      { text: 'HTTP/1.1 200 OK\r\nTransfer-ENCODING: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n', summary: 'HTTP/1.1 200 OK', partial: false },
    ]);
  });

  it(`frames a body longer than HTTP_CAPTURE_SPILL_BYTES (${HTTP_CAPTURE_SPILL_BYTES}) whole, with or without a length`, () => {
    const body = Array.from({ length: HTTP_CAPTURE_SPILL_BYTES * 2 + 7 }, (_, i) => String.fromCharCode(0x61 + (i % 26))).join('');
    for (const head of [`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`, 'HTTP/1.0 200 OK\r\n\r\n']) {
      const f = new HttpFramer();
      f.push('c2s', latin1('GET / HTTP/1.1\r\nHost: a\r\n\r\n'), 0);
      const wire = latin1(head + body);
      const out = [];
      for (let at = 0; at < wire.length; at += 1000) out.push(...f.push('s2c', wire.subarray(at, at + 1000), 1));
      out.push(...f.end('s2c'));
      expect(out).toHaveLength(1);
      expect(out[0].bytes.length).toBe(wire.length);
      expect(text(out[0].bytes) === head + body).toBe(true);
    }
  });

  it('takes a Content-Length from exactly the lines the full field parse accepts, with its value', () => {
    const lines = ['Content-Length: 5', 'content-LENGTH:\t5 \t', 'Content-Length:5', 'Content-Length: 3', 'Content-Length : 5', ' Content-Length: 5', 'Content-Length: 5\0', 'Content-Length: 5\r5', 'X-Content-Length: 5'];
    for (const line of lines) {
      const parsed = parseFieldLine(line, false);
      const taken = parsed.ok && parsed.value.name.toLowerCase() === 'content-length';
      const head = `HTTP/1.1 200 OK\r\n${line}\r\n\r\n`;
      // Without a length the body runs until the close: one message of everything.
      const expected = head.length + (taken ? Number(parsed.value.value) : 'hello'.length);
      expect(frame(`${head}hello`)[0].text.length, JSON.stringify(line)).toBe(expected);
    }
  });

  it('takes the last of several transfer codings, and the first Content-Type, with white space around them', () => {
    const response = 'HTTP/1.1 200 OK\r\ntransfer-encoding:  gzip , Chunked \r\nContent-Type:  text/plain ; charset=x \r\nContent-Type: text/html\r\n\r\n5\r\nhello\r\n0\r\n\r\n';
    expect(frame(`${response}HTTP/1.1 204 No Content\r\n\r\n`).map((m) => m.summary)).toEqual(['HTTP/1.1 200 OK (text/plain)', 'HTTP/1.1 204 No Content']);
  });

  it('summarizes each message by its own start line and type, however much they look like the last', () => {
    const requests = 'GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n';
    const responses = [
      'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1\r\n\r\nx',
      'HTTP/1.1 201 OK\r\nContent-Type: text/html\r\nContent-Length: 1\r\n\r\nx',
      'HTTP/1.1 201 OK\r\nContent-Type: text/xml\r\nContent-Length: 1\r\n\r\nx',
      'HTTP/1.1 201 OK\r\nContent-Type: text/xml\r\nContent-Length: 9\r\n\r\nx',
    ].join('');
    const f = new HttpFramer();
    const out = [...kept(f.push('c2s', latin1(requests), 0)), ...kept(f.push('s2c', latin1(responses), 1)), ...kept(f.end('s2c'))];
    expect(out.map((m) => m.summary)).toEqual([
      'GET /a HTTP/1.1',
      'GET /b HTTP/1.1',
      'GET /b HTTP/1.1',
      'GET /b HTTP/1.1',
      'HTTP/1.1 200 OK (text/html)',
      'HTTP/1.1 201 OK (text/html)',
      'HTTP/1.1 201 OK (text/xml)',
      'HTTP/1.1 201 OK (text/xml) (incomplete)',
    ]);
  });

  it('refuses a framing field whose value holds a CR or a NUL, as the full field parse does', () => {
    const te = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\0\r\nContent-Length: 2\r\n\r\nok';
    expect(frame(`${te}HTTP/1.1 204 No Content\r\n\r\n`).map((m) => m.text)).toEqual([te, 'HTTP/1.1 204 No Content\r\n\r\n']);
    expect(frame('HTTP/1.1 200 OK\r\nContent-Type: text/html\0\r\nContent-Length: 2\r\n\r\nok')[0].summary).toBe('HTTP/1.1 200 OK');
    expect(frame('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nok')[0].summary).toBe('HTTP/1.1 200 OK (text/html)');
  });

  it('reads every Content-Length and Transfer-Encoding line, not only the last', () => {
    const conflicting = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nokHTTP/1.1 204 No Content\r\n\r\n';
    expect(frame(conflicting).map((m) => m.text)).toEqual([conflicting]); // no length it can trust: until the close
    const gzipLast = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n2\r\nok\r\n0\r\n\r\n';
    expect(frame(gzipLast).map((m) => m.text)).toEqual([gzipLast]); // the last coding is not chunked: until the close
    const repeated = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok';
    expect(frame(`${repeated}HTTP/1.1 204 No Content\r\n\r\n`).map((m) => m.text)).toEqual([repeated, 'HTTP/1.1 204 No Content\r\n\r\n']);
  });

  it(`cuts a head whose blank line would take it past HTTP_CAPTURE_MAX_HEAD (${HTTP_CAPTURE_MAX_HEAD}) bytes`, () => {
    const startLine = 'HTTP/1.1 200 OK\r\n';
    const headOf = (bytesBeforeBlankLine: number) => `${startLine}X-Fill: ${'a'.repeat(bytesBeforeBlankLine - startLine.length - 'X-Fill: \r\n'.length)}\r\n\r\n`;
    const fits = headOf(HTTP_CAPTURE_MAX_HEAD - 2);
    expect(fits.length).toBe(HTTP_CAPTURE_MAX_HEAD);
    expect(frame(`${fits}body`)).toEqual([{ text: `${fits}body`, summary: 'HTTP/1.1 200 OK', partial: false }]);
    const over = frame(`${headOf(HTTP_CAPTURE_MAX_HEAD - 1)}body`);
    expect(over[0].summary.startsWith(`head cut (no blank line within ${HTTP_CAPTURE_MAX_HEAD} bytes)`)).toBe(true);
    expect(over[0].text.length).toBe(HTTP_CAPTURE_MAX_HEAD);
  });

  it(`cuts a trailer section with no blank line within HTTP_CAPTURE_MAX_HEAD (${HTTP_CAPTURE_MAX_HEAD}) bytes, as it does a head`, () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n';
    const f = new HttpFramer();
    f.push('c2s', latin1('GET / HTTP/1.1\r\nHost: a\r\n\r\n'), 0);
    const out = kept(f.push('s2c', latin1(head), 1));
    // A trailer line that never ends: the framer must not keep gathering it.
    const junk = latin1('X'.repeat(16 * 1024));
    for (let i = 0; i < 8; i++) out.push(...kept(f.push('s2c', junk, 2 + i)));
    expect(out).toHaveLength(1);
    expect(out[0].summary.startsWith(`trailer section cut (no blank line within ${HTTP_CAPTURE_MAX_HEAD} bytes)`)).toBe(true);
    expect(out[0].bytes.length).toBe(head.length + HTTP_CAPTURE_MAX_HEAD);
  });

  it('gives each start line its own summary when the next, as long, comes in a later push', () => {
    const f = new HttpFramer();
    const out = [
      ...kept(f.push('c2s', latin1('GET /a HTTP/1.1\r\nHost: a\r\n\r\n'), 0)),
      ...kept(f.push('s2c', latin1('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'), 1)),
      ...kept(f.push('c2s', latin1('GET /b HTTP/1.1\r\nHost: a\r\n\r\n'), 2)),
      ...kept(f.push('s2c', latin1('HTTP/1.1 404 No\r\nContent-Length: 0\r\n\r\n'), 3)),
    ];
    expect(out.map((m) => m.summary)).toEqual(['GET /a HTTP/1.1', 'HTTP/1.1 200 OK', 'GET /b HTTP/1.1', 'HTTP/1.1 404 No']);
  });

  it('takes no look-alike for them: a longer name, a space before the colon, a folded line', () => {
    const lookAlikes = 'HTTP/1.1 200 OK\r\nContent-Lengthy: 2\r\nContent-Length : 2\r\n Content-Length: 2\r\n\r\nuntil the close';
    // None of them frames the body, so it runs until the connection closes.
    expect(frame(lookAlikes)).toEqual([{ text: lookAlikes, summary: 'HTTP/1.1 200 OK', partial: false }]);
  });
});

describe('ASCII fast paths', () => {
  it('serializes a head with characters past ASCII as latin1 octets, "?" past U+00FF', () => {
    const bytes = serializeResponse({ status: 200, headers: [['X-Name', 'café €']], body: 'ok' });
    expect(text(bytes)).toBe('HTTP/1.1 200 OK\r\nX-Name: caf\xe9 ?\r\n\r\nok');
  });

  it('percent-decodes only what needs it, and reads plain ASCII as itself', () => {
    expect(percentDecode('/a/b.html', false)).toEqual({ text: '/a/b.html', ok: true });
    expect(percentDecode('a+b', false)).toEqual({ text: 'a+b', ok: true });
    expect(percentDecode('a+b', true)).toEqual({ text: 'a b', ok: true });
    expect(percentDecode('caf%C3%A9', false)).toEqual({ text: 'café', ok: true });
    expect(percentDecode('100%', false)).toEqual({ text: '100%', ok: false });
    expect(percentDecode('\xe9', false).text).toBe('\ufffd');
  });

  it('reads a plain Content-Length as the full rules do', () => {
    expect(parseContentLength(['1024'])).toEqual({ ok: true, value: { length: 1024, repeated: false } });
    expect(parseContentLength(['0007'])).toEqual({ ok: true, value: { length: 7, repeated: false } });
    expect(parseContentLength(['9'.repeat(15)]).ok).toBe(true);
    expect(parseContentLength(['9'.repeat(16)]).ok).toBe(false);
    expect(parseContentLength(['5, 5'])).toEqual({ ok: true, value: { length: 5, repeated: true } });
    expect(parseContentLength(['-1']).ok).toBe(false);
  });
});
