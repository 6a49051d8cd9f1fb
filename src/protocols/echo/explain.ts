// What an echo message means, in plain words, for the details pane.

import type { Explanation } from '../core/explain';
import { byteCount } from '../core/summary';
import type { DissectContext } from '../registry-types';

export function explainEcho(bytes: Uint8Array, ctx: DissectContext): Explanation {
  const size = byteCount(bytes.length);
  if (ctx.transport === 'udp') {
    return ctx.dir === 'c2s'
      ? {
          title: 'Echo request (UDP datagram)',
          text: `The client sent one ${size} datagram to UDP port 7. The echo server answers each datagram with one datagram holding the same data. UDP keeps the datagram whole but promises nothing: if either datagram is lost, no answer arrives and nobody retries.`,
          rfc: 'RFC 862',
        }
      : {
          title: 'Echo reply (UDP datagram)',
          text: `The echo server returned a ${size} datagram. It should hold exactly the data of the datagram it answers; the server sends it back to whichever address and port the request came from.`,
          rfc: 'RFC 862',
        };
  }
  return ctx.dir === 'c2s'
    ? {
        title: 'Echo request',
        text: `The client sent ${size} over its TCP connection to port 7. The echo server writes back every byte it receives, unchanged and in order, until the client closes; the next line from the server should be this one again. The lab cuts the stream into lines only to make it readable: TCP itself carries a stream of bytes with no message boundaries.`,
        rfc: 'RFC 862',
      }
    : {
        title: 'Echo reply',
        text: `The echo server sent back ${size}. They should match the client's line byte for byte; the pair shows a round trip through a socket on each side, which is why echo is the classic first test of a connection.`,
        rfc: 'RFC 862',
      };
}
