// What a discard message means, in plain words, for the details pane.

import type { Explanation } from '../core/explain';
import { byteCount } from '../core/summary';
import type { DissectContext } from '../registry-types';

export function explainDiscard(bytes: Uint8Array, ctx: DissectContext): Explanation {
  const size = byteCount(bytes.length);
  if (ctx.dir === 's2c') {
    return {
      title: 'Data from a discard server',
      text: `These ${size} came from the server side, but a discard server is specified to send nothing at all. Whatever is listening on this port is not behaving as a discard service.`,
      rfc: 'RFC 863',
    };
  }
  return ctx.transport === 'udp'
    ? {
        title: 'Discarded datagram',
        text: `The client sent a ${size} datagram to UDP port 9. The discard server drops it and answers nothing, so the client cannot tell from the network whether it arrived; only the capture shows it did.`,
        rfc: 'RFC 863',
      }
    : {
        title: 'Discarded data',
        text: `The client sent ${size} over its TCP connection to port 9. The server reads them and throws them away without answering. Unlike with UDP, TCP itself acknowledges the bytes, so the client knows they were delivered even though no reply comes.`,
        rfc: 'RFC 863',
      };
}
