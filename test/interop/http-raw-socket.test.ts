// The course's form requests typed by hand: a plain TCP socket to www.somesite.com's port, one
// line at a time with pauses as a person at telnet types them (every line ended by Enter, CR LF),
// exactly as the slides print them: HTTP/1.0, no Host header, the HTTPTool User-Agent. The page
// that comes back shows var1 and var2 as the server decoded them, and the server closes the
// connection, because an HTTP/1.0 connection is non-persistent.

import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ResponseParser, type ParsedResponse } from '../../src/protocols/http/parser';
import { startLab, useLabs } from '../integration/http/helpers';

useLabs();

/** A typing pause between lines: long enough that every line reaches the server in a segment of its own. */
const PAUSE_BETWEEN_LINES_MS = 30;

/** How long the server may take to answer and close after the last line. */
const ANSWER_TIMEOUT_MS = 5_000;

interface TypedSession {
  responses: ParsedResponse[];
  /** Everything the server sent, as text. */
  received: string;
  /** The server ended the connection (its FIN arrived) before the client closed its side. */
  serverClosed: boolean;
}

/** Connects, types each line followed by CR LF, and collects the answer until the server closes. */
function typeLines(port: number, lines: string[], method: string): Promise<TypedSession> {
  return new Promise((resolve, reject) => {
    const parser = new ResponseParser();
    parser.expect(method);
    const responses: ParsedResponse[] = [];
    let received = Buffer.alloc(0);
    let serverClosed = false;
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not close within ${ANSWER_TIMEOUT_MS} ms; got ${JSON.stringify(received.toString('latin1').slice(0, 300))}`));
    }, ANSWER_TIMEOUT_MS + PAUSE_BETWEEN_LINES_MS * lines.length);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      for (const ev of parser.push(chunk)) if (ev.type === 'response') responses.push(ev.response);
    });
    socket.on('end', () => {
      serverClosed = true;
      for (const ev of parser.end()) if (ev.type === 'response') responses.push(ev.response);
      socket.end();
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ responses, received: received.toString('utf8'), serverClosed });
    });
    socket.on('error', reject);
    socket.once('connect', async () => {
      for (const line of lines) {
        socket.write(`${line}\r\n`, 'latin1');
        await new Promise((r) => setTimeout(r, PAUSE_BETWEEN_LINES_MS));
      }
    });
  });
}

/** The rows of the page's first table (the course's fields): name, value, where the server found it. */
function courseFields(html: string): string[][] {
  const table = html.slice(html.indexOf('<table>'), html.indexOf('</table>'));
  return [...table.matchAll(/<tr><td><code>([^<]*)<\/code><\/td><td><code>([^<]*)<\/code><\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1]!, m[2]!, m[3]!]);
}

describe('the form requests of the slides, typed by hand on a raw socket', () => {
  it('POST /path/page1exec HTTP/1.0 with a urlencoded body of 23 bytes: the fields come back, and the server closes', async () => {
    const t = await startLab();
    const port = t.port('www.somesite.com');
    const typed = [
      'POST /path/page1exec HTTP/1.0',
      'User-Agent: HTTPTool/1.0',
      'Content-Type: application/x-www-form-urlencoded',
      'Content-Length: 23',
      '',
      // Enter after the body sends a CR LF the Content-Length does not count; the server reads its
      // 23 bytes, answers, and closes, leaving the extra line unread.
      'var1=value1&var2=value2',
    ];
    const session = await typeLines(port, typed, 'POST');

    expect(session.serverClosed).toBe(true);
    expect(session.responses).toHaveLength(1);
    const r = session.responses[0]!;
    expect(r.status).toBe(200);
    expect(r.headers.find((h) => h.name.toLowerCase() === 'connection')?.value).toBe('close');
    const html = Buffer.from(r.body).toString('utf8');
    // No Host header: the port decided the site, www.somesite.com's.
    expect(html).toContain('<title>page1exec: form fields received</title>');
    expect(courseFields(html)).toEqual([
      ['var1', 'value1', 'the body, application/x-www-form-urlencoded'],
      ['var2', 'value2', 'the body, application/x-www-form-urlencoded'],
    ]);
    expect(html).toContain('<tr><td>Request line</td><td><code>POST /path/page1exec HTTP/1.0</code></td></tr>');
    expect(html).toContain('<tr><td>Content-Length</td><td><code>23</code></td></tr>');
    expect(html).toContain('<tr><td>Body bytes received</td><td><code>23</code></td></tr>');

    // The capture holds the request as typed, its lines joined into one message at
    // www.somesite.com:80, and then the Enter after the body: two bytes no request claimed.
    const captured = (await t.lab.api.listMessages(1, 100)).filter((m) => m.destination === 'www.somesite.com:80' && m.role === 'request');
    expect(captured.map((m) => ({ length: m.length, partial: m.partial === true, answered: m.answeredBy !== undefined }))).toEqual([
      { length: typed.join('\r\n').length, partial: false, answered: true },
      { length: 2, partial: true, answered: false },
    ]);
    const bytes = Buffer.from((await t.lab.api.getMessage(captured[0]!.id))!.bytes, 'base64').toString('latin1');
    expect(bytes).toBe(typed.join('\r\n'));
  });

  it('GET /path/page1exec?var1=value1&var2=value2 HTTP/1.0: the same fields, found in the query string', async () => {
    const t = await startLab();
    // As the slide prints it, Content-Type and all: a GET has no body, so the server says so and
    // reads the fields from the request line.
    const session = await typeLines(t.port('www.somesite.com'), ['GET /path/page1exec?var1=value1&var2=value2 HTTP/1.0', 'User-Agent: HTTPTool/1.0', 'Content-Type: application/x-www-form-urlencoded', ''], 'GET');

    expect(session.serverClosed).toBe(true);
    expect(session.responses).toHaveLength(1);
    const r = session.responses[0]!;
    expect(r.status).toBe(200);
    expect(r.headers.find((h) => h.name.toLowerCase() === 'connection')?.value).toBe('close');
    const html = Buffer.from(r.body).toString('utf8');
    expect(courseFields(html)).toEqual([
      ['var1', 'value1', 'the query string in the request line (after &#34;?&#34;)'],
      ['var2', 'value2', 'the query string in the request line (after &#34;?&#34;)'],
    ]);
    expect(html).toContain('<tr><td>Query string</td><td><code>var1=value1&#38;var2=value2</code></td></tr>');
  });
});
