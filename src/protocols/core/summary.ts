// One-line previews of message bytes for the packet list: `"hello\r\n" (7 bytes)`. Control
// characters are escaped so a student sees the CR LF that the protocol puts on the wire.

import { bytesToLatin1, escapeControl } from './bytes';

/** Characters of escaped text a packet-list summary shows before it is cut; a row is one line. */
export const SUMMARY_MAX_CHARS = 60;

/** Characters of escaped text a details-tree line shows for a field value before it is cut. */
export const DISPLAY_MAX_CHARS = 200;

export const ELLIPSIS = '…';

/** `1 byte`, `7 bytes`. */
export function byteCount(n: number): string {
  return n === 1 ? '1 byte' : `${n} bytes`;
}

/**
 * The bytes as display units, one per character: UTF-8 text with control characters escaped when
 * the bytes are valid UTF-8, otherwise ASCII as is and each byte above 0x7F as `\xNN`, so binary
 * data is shown as it is rather than as U+FFFD. Units are never split when a preview is cut.
 */
function displayUnits(bytes: Uint8Array, sliced: boolean): string[] {
  let text: string;
  try {
    // For a slice of a longer message, `stream: true` holds back a final character cut in two
    // instead of calling it invalid.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: sliced });
  } catch {
    return Array.from(bytes, (b) => (b < 0x80 ? escapeControl(String.fromCharCode(b)) : `\\x${b.toString(16).padStart(2, '0')}`));
  }
  return Array.from(text, (ch) => escapeControl(ch));
}

/** The whole of `bytes` as escaped display text (see `previewText` for a cut one). */
export function displayText(bytes: Uint8Array): string {
  return displayUnits(bytes, false).join('');
}

/**
 * The common case, plain ASCII, without decoding: the capture summarises every message as it
 * arrives, so this runs on the hot path. Returns null at the first byte above 0x7F.
 */
function asciiPreview(bytes: Uint8Array, maxChars: number): string | null {
  // A run of printable characters is one unit per byte, taken in one decode.
  const run = Math.min(bytes.length, maxChars);
  let i = 0;
  while (i < run && bytes[i] >= 0x20 && bytes[i] < 0x7f) i++;
  let out = i > 0 ? bytesToLatin1(bytes, 0, i) : '';
  for (; i < bytes.length; i++) {
    const b = bytes[i];
    if (b >= 0x80) return null;
    const unit = b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : escapeControl(String.fromCharCode(b));
    if (out.length + unit.length > maxChars) return out + ELLIPSIS;
    out += unit;
  }
  return out;
}

/** The bytes as escaped display text, cut with an ellipsis past `maxChars`. */
export function previewText(bytes: Uint8Array, maxChars = SUMMARY_MAX_CHARS): string {
  const ascii = asciiPreview(bytes, maxChars);
  if (ascii !== null) return ascii;
  // A character takes at most 4 bytes of UTF-8, so this many bytes always yield more characters
  // than can be shown; decoding only them keeps a 64 KiB datagram's summary cheap.
  const decodeLimit = maxChars * 4 + 4;
  const sliced = bytes.length > decodeLimit;
  let out = '';
  for (const unit of displayUnits(bytes.subarray(0, Math.min(bytes.length, decodeLimit)), sliced)) {
    if (out.length + unit.length > maxChars) return out + ELLIPSIS;
    out += unit;
  }
  return sliced ? out + ELLIPSIS : out;
}

/** `"hello\r\n" (7 bytes)`, with an optional note after the count: `(4096 bytes, line cut)`. */
export function summarizeBytes(bytes: Uint8Array, note?: string, maxChars = SUMMARY_MAX_CHARS): string {
  const count = byteCount(bytes.length);
  // Joined, not concatenated: one flat string rather than a tree of pieces, since the capture
  // writes every message's summary to its journal and each later read of a tree walks it.
  return ['"', previewText(bytes, maxChars), '" (', count, note ? `, ${note}` : '', ')'].join('');
}

/** A field value for a details-tree line: `"hello"`, escaped and cut like a summary. */
export function quotedPreview(bytes: Uint8Array, maxChars = DISPLAY_MAX_CHARS): string {
  return `"${previewText(bytes, maxChars)}"`;
}
