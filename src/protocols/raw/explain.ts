// What a message of an unknown protocol is, in plain words, for the details pane.

import type { Explanation } from '../core/explain';
import { directionLabel } from '../core/explain';
import { byteCount } from '../core/summary';
import type { DissectContext } from '../registry-types';

export function explainRaw(bytes: Uint8Array, ctx: DissectContext): Explanation {
  const who = directionLabel(ctx.dir);
  return ctx.transport === 'udp'
    ? {
        title: 'UDP datagram',
        text: `${byteCount(bytes.length)}, ${who}. The lab does not know the protocol on this port, so it shows the datagram as lines of text. A datagram is one message: UDP delivers it whole or not at all.`,
      }
    : {
        title: 'Bytes on a TCP connection',
        text: `${byteCount(bytes.length)}, ${who}. The lab does not know the protocol on this port, so it shows the stream cut at each line feed. TCP itself carries only a stream of bytes: any message boundaries are the application's business.`,
      };
}
