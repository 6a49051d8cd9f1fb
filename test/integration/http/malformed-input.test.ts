// Bad input gets a 4xx or a close, never a crash: garbage, a huge header line, NUL bytes, a body
// cut short, a client that vanishes mid-request. Meanwhile another connection, opened before the
// trouble started, keeps being served.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HTTP_MAX_HEADER_SECTION } from '../../../src/protocols/http';
import { bodyText, header, RawConnection, startLab, useLabs } from './helpers';

useLabs();

const FILE1 = '/wireshark-labs/HTTP-wireshark-file1.html';
const KEEP = `GET ${FILE1} HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n`;

describe('malformed input', () => {
  it('answers each kind of garbage with a 4xx or a close, while a kept-alive connection goes on being served', async () => {
    const t = await startLab();
    const port = t.port('gaia.cs.umass.edu');
    const bystander = await RawConnection.open(port);
    bystander.send(KEEP, ['GET']);
    expect((await bystander.response(0)).status).toBe(200);

    const attacks: Array<{ name: string; bytes: Buffer; expect: number | 'close' }> = [
      { name: 'binary garbage', bytes: Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, 0x0d, 0x0a, 0x0d, 0x0a]), expect: 400 },
      { name: 'text that is no request', bytes: Buffer.from('HELLO THERE SERVER\r\n\r\n'), expect: 400 },
      { name: 'a huge header line', bytes: Buffer.from(`GET / HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\nX-Huge: ${'h'.repeat(HTTP_MAX_HEADER_SECTION + 10)}\r\n\r\n`), expect: 431 },
      { name: 'a NUL in the request line', bytes: Buffer.from('GET /\0index.html HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n', 'latin1'), expect: 400 },
      { name: 'a NUL in a header value', bytes: Buffer.from('GET / HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\nX-A: a\0b\r\n\r\n', 'latin1'), expect: 400 },
      { name: 'a header without a colon', bytes: Buffer.from('GET / HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\nno colon here\r\n\r\n'), expect: 400 },
      { name: 'a bad Content-Length', bytes: Buffer.from('POST / HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\nContent-Length: -5\r\n\r\n'), expect: 400 },
      { name: 'a bad chunk size', bytes: Buffer.from('POST /x HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'), expect: 400 },
    ];
    for (const a of attacks) {
      const conn = await RawConnection.open(port);
      conn.send(a.bytes, ['GET']);
      await conn.until(() => conn.ended, `${a.name}: the server's close`, 3_000);
      const r = await conn.response(0, 100).catch(() => null);
      expect(r?.status, a.name).toBe(a.expect);
      expect(header(r!, 'connection'), a.name).toBe('close');
      expect(bodyText(r!).length, a.name).toBeGreaterThan(50);
    }

    // A body cut short by the client closing: 400 for what arrived, then the close.
    const truncated = await RawConnection.open(port);
    truncated.send('POST /page1exec HTTP/1.1\r\nHost: www.somesite.com\r\nContent-Length: 100\r\n\r\nvar1=only-part', ['POST']);
    truncated.end();
    const cut = await truncated.response(0, 3_000);
    expect(cut.status).toBe(400);
    await truncated.done;

    // A client that resets mid-request does not disturb anyone.
    const vanishing = await RawConnection.open(port);
    vanishing.send('GET / HTTP/1.1\r\nHost: gaia');
    vanishing.destroy();

    bystander.send(KEEP, ['GET']);
    expect((await bystander.response(1)).status).toBe(200);
    expect(t.lab.serviceInfos().find((s) => s.id === 'gaia.cs.umass.edu/http/tcp')!.state).toBe('listening');
    bystander.destroy();
  });

  it('serves many connections at once, each answered in full', async () => {
    const t = await startLab();
    const port = t.port('www.someschool.edu');
    const images = Array.from({ length: 10 }, (_, i) => `/someDepartment/images/img${i + 1}.jpg`);
    const results = await Promise.all(
      images.map(async (img) => {
        const conn = await RawConnection.open(port);
        conn.send(`GET ${img} HTTP/1.1\r\nHost: www.someschool.edu\r\nConnection: close\r\n\r\n`, ['GET']);
        const r = await conn.response();
        conn.destroy();
        return r;
      }),
    );
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(header(r, 'content-type')).toBe('image/jpeg');
      expect(Buffer.from(r.body).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect(r.body.length).toBe(Number(header(r, 'content-length')));
    }
  });

  it('stops reading from a client that sends requests without reading the answers, and keeps serving others', async () => {
    const t = await startLab();
    // A big file, so that the answers back up; sparse, so it costs no disk.
    const big = path.join(t.dir, 'world', 'sites', 'gaia.cs.umass.edu', 'big.bin');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 8 * 1024 * 1024);
    const conn = await RawConnection.open(t.port('gaia.cs.umass.edu'));
    conn.socket.pause(); // never read
    // 250 requests, each padded to about 30 KB: 7.5 MB, more than the kernel buffers on both sides hold
    // (Linux lets a send buffer grow to 4 MB), yet less than the engine would hold if it kept reading.
    const one = `GET /big.bin HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\nX-Pad: ${'p'.repeat(30_000)}\r\n\r\n`;
    const flood = one.repeat(250);
    conn.socket.write(flood);
    await new Promise((r) => setTimeout(r, 500));
    // Megabytes are still waiting on the client's side: the server stopped reading once its answers backed up.
    expect(conn.socket.writableLength).toBeGreaterThan(1_000_000);
    const other = await RawConnection.open(t.port('gaia.cs.umass.edu'));
    other.send(KEEP, ['GET']);
    expect((await other.response()).status).toBe(200);
    other.destroy();
    conn.destroy();
  });
});
