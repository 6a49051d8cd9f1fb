// Sans-IO echo server (RFC 862). The socket adapter feeds it what arrives and writes what it
// returns; nothing here touches a socket, a timer or the file system.

import { assertNever } from '../core/assert-never';
import { copyBytes } from '../core/bytes';
import { nothing, problem, reply, replyAndClose, type EngineOutput, type TcpServerEngine, type UdpServerEngine } from '../core/engine';
import { transition } from '../core/state-machine';
import { UDP_MAX_PAYLOAD_IPV4 } from '../core/udp';
import { ECHO_INITIAL_STATE, ECHO_TRANSITIONS, type EchoState } from './states';

/** RFC 862: echo listens on TCP port 7 and UDP port 7. */
export const ECHO_PORT = 7;

/** The largest datagram the UDP echo can send back in one piece (see UDP_MAX_PAYLOAD_IPV4). */
export const ECHO_UDP_MAX_DATAGRAM = UDP_MAX_PAYLOAD_IPV4;

type EchoInput = { type: 'data'; bytes: Uint8Array } | { type: 'peer-end' };

export class EchoTcpEngine implements TcpServerEngine<EchoState> {
  private current: EchoState = ECHO_INITIAL_STATE;

  get state(): EchoState {
    return this.current;
  }

  /** Echo says nothing first: it waits for the client. */
  connected(): EngineOutput {
    return nothing();
  }

  receive(bytes: Uint8Array): EngineOutput {
    return this.handle({ type: 'data', bytes });
  }

  peerEnded(): EngineOutput {
    return this.handle({ type: 'peer-end' });
  }

  private handle(input: EchoInput): EngineOutput {
    const step = transition(ECHO_TRANSITIONS, this.current, input.type);
    if (!step.ok) return problem(`echo: ${step.error}`);
    this.current = step.to;
    switch (input.type) {
      case 'data':
        // A copy, so the caller may reuse its receive buffer before the write completes.
        return input.bytes.length === 0 ? nothing() : reply(copyBytes(input.bytes));
      case 'peer-end':
        // The client has nothing more to send, so nothing more will need echoing.
        return replyAndClose();
      default:
        return assertNever(input, 'echo input');
    }
  }
}

export class EchoUdpEngine implements UdpServerEngine {
  /** RFC 862: "send back a datagram with the data in the received datagram". */
  receive(datagram: Uint8Array): EngineOutput {
    if (datagram.length > ECHO_UDP_MAX_DATAGRAM) {
      return problem(
        `echo: a ${datagram.length}-byte datagram exceeds the ${ECHO_UDP_MAX_DATAGRAM}-byte UDP payload limit; nothing was echoed`,
      );
    }
    return reply(copyBytes(datagram));
  }
}
