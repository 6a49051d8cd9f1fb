// The Compose tab's text as terminal keystrokes: every line followed by Enter ('\r'), the key a
// terminal sends, so the core's line discipline ends each line with CRLF as the text protocols
// require (RFC 9112 §2.2, RFC 5321 §2.3.8).

/**
 * Longest text the Compose tab sends in one go: the web face sizes its largest frame for a 64 KiB
 * paste (src/main/web/server.ts, MAX_WS_FRAME_BYTES). A dialogue is a few hundred bytes.
 */
export const MAX_COMPOSE_CHARS = 64 * 1024;

export type ComposeResult = { ok: true; keys: string; lines: number } | { ok: false; error: string };

export function composeToKeystrokes(text: string): ComposeResult {
  if (text.length > MAX_COMPOSE_CHARS) {
    return { ok: false, error: `the message is longer than ${MAX_COMPOSE_CHARS / 1024} KiB; send it in parts` };
  }
  if (text === '') return { ok: false, error: 'nothing to send: write a message first' };
  const lines = text.split(/\r\n|\r|\n/);
  // A final newline ends the last line; it does not start another one.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return { ok: true, keys: lines.map((l) => `${l}\r`).join(''), lines: lines.length };
}
