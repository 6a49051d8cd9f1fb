// What a daytime message means, in plain words, for the details pane.

import type { Explanation } from '../core/explain';
import { byteCount } from '../core/summary';
import type { DissectContext } from '../registry-types';

export function explainDaytime(bytes: Uint8Array, ctx: DissectContext): Explanation {
  if (ctx.dir === 's2c') {
    return ctx.transport === 'udp'
      ? {
          title: 'Daytime reply (UDP datagram)',
          text: 'The server answered the datagram with one datagram holding the current date and time as a line of text. The format is free: the service is meant for people to read, not for clocks to synchronise.',
          rfc: 'RFC 867',
        }
      : {
          title: 'Daytime reply',
          text: 'Right after the connection opened, the server sent the current date and time as one line of text and then closed the connection. The client did not have to ask: on TCP port 13, connecting is the request.',
          rfc: 'RFC 867',
        };
  }
  return ctx.transport === 'udp'
    ? {
        title: 'Daytime request (UDP datagram)',
        text: `The client sent a ${byteCount(bytes.length)} datagram to UDP port 13. Its content does not matter: any datagram makes the server send back the date and time.`,
        rfc: 'RFC 867',
      }
    : {
        title: 'Data sent to a daytime server',
        text: `The client sent ${byteCount(bytes.length)}. A daytime server reads nothing: it throws these bytes away, because it has already sent its one line and is closing the connection.`,
        rfc: 'RFC 867',
      };
}
