// Turns bytes received on a connection into text that is safe to write to the terminal.
//
// - UTF-8 is decoded as a stream, so a character split across two TCP segments still shows whole;
//   bytes that are not UTF-8 show as U+FFFD.
// - A bare LF becomes CR LF for display (servers that send bare LF are common; the byte log shows
//   what really came). A CR LF split across chunks stays one line end.
// - No byte from the network may drive the terminal: ESC and the other C0 controls show in caret
//   notation (^[, ^@), DEL as ^?, and the C1 controls (U+0080..U+009F, which xterm.js would obey
//   as 8-bit CSI and friends) as M-^X in the style of `cat -v`. CR, LF, TAB, BS and BEL keep their
//   usual meaning, as in a real telnet session.

const PASS_THROUGH = new Set([0x07, 0x08, 0x09, 0x0a, 0x0d]);

export function visibleControl(codePoint: number): string {
  if (codePoint < 0x20) return '^' + String.fromCharCode(codePoint + 0x40);
  if (codePoint === 0x7f) return '^?';
  return 'M-^' + String.fromCharCode(codePoint - 0x80 + 0x40);
}

function isUnsafeControl(codePoint: number): boolean {
  return (codePoint < 0x20 && !PASS_THROUGH.has(codePoint)) || (codePoint >= 0x7f && codePoint < 0xa0);
}

export class RemoteTextDecoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private previousWasCR = false;

  /** Display text for the next chunk of the stream. */
  decode(bytes: Uint8Array): string {
    return this.toDisplay(this.decoder.decode(bytes, { stream: true }));
  }

  /** Display text for bytes held back at the end of the stream (an incomplete UTF-8 sequence). */
  flush(): string {
    return this.toDisplay(this.decoder.decode());
  }

  private toDisplay(text: string): string {
    let out = '';
    for (const ch of text) {
      const codePoint = ch.codePointAt(0)!;
      if (ch === '\n') out += this.previousWasCR ? '\n' : '\r\n';
      else if (isUnsafeControl(codePoint)) out += visibleControl(codePoint);
      else out += ch;
      this.previousWasCR = ch === '\r';
    }
    return out;
  }
}
