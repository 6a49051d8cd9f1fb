// Small helpers shared by the HTTP unit tests.

import { bytesToLatin1, utf8ToBytes } from '../../../../src/protocols/core/bytes';

export const bytes = (text: string): Uint8Array => utf8ToBytes(text);
export const text = (b: Uint8Array): string => bytesToLatin1(b);

/** Latin1: one byte per character, for inputs that must hold exact byte values. */
export function latin1(text: string): Uint8Array {
  return new Uint8Array(Array.from(text, (c) => c.charCodeAt(0) & 0xff));
}

/** The same input one byte at a time. */
export function byteByByte(input: Uint8Array): Uint8Array[] {
  return Array.from(input, (_, i) => input.subarray(i, i + 1));
}

/** Splits the input at every offset in turn into two chunks. */
export function* twoWaySplits(input: Uint8Array): Generator<Uint8Array[]> {
  for (let i = 1; i < input.length; i++) yield [input.subarray(0, i), input.subarray(i)];
}

/** The course's example request (the deck's "HTTP request message" slide). */
export const COURSE_REQUEST =
  'GET /index.html HTTP/1.1\r\nHost: www-net.cs.umass.edu\r\nUser-Agent: Firefox/3.6.10\r\nAccept: text/html,application/xhtml+xml\r\n' +
  'Accept-Language: en-us,en;q=0.5\r\nAccept-Encoding: gzip,deflate\r\nAccept-Charset: ISO-8859-1,utf-8;q=0.7\r\nKeep-Alive: 115\r\nConnection: keep-alive\r\n\r\n';

/** The POST form example of the deck. */
export const COURSE_POST =
  'POST /path/page1exec HTTP/1.0\r\nUser-Agent: HTTPTool/1.0\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 23\r\n\r\nvar1=value1&var2=value2';
