// Sans-IO discard server (RFC 863): reads everything, answers nothing, and counts what it dropped
// so the servers panel can show that the bytes did arrive.

import { assertNever } from '../core/assert-never';
import { nothing, problem, replyAndClose, type EngineOutput, type TcpServerEngine, type UdpServerEngine } from '../core/engine';
import { transition } from '../core/state-machine';
import { DISCARD_INITIAL_STATE, DISCARD_TRANSITIONS, type DiscardState } from './states';

/** RFC 863: discard listens on TCP port 9 and UDP port 9. */
export const DISCARD_PORT = 9;

type DiscardInput = { type: 'data'; bytes: Uint8Array } | { type: 'peer-end' };

export class DiscardTcpEngine implements TcpServerEngine<DiscardState> {
  private current: DiscardState = DISCARD_INITIAL_STATE;
  private discarded = 0;

  get state(): DiscardState {
    return this.current;
  }

  /** Bytes received and thrown away on this connection. */
  get bytesDiscarded(): number {
    return this.discarded;
  }

  connected(): EngineOutput {
    return nothing();
  }

  receive(bytes: Uint8Array): EngineOutput {
    return this.handle({ type: 'data', bytes });
  }

  peerEnded(): EngineOutput {
    return this.handle({ type: 'peer-end' });
  }

  private handle(input: DiscardInput): EngineOutput {
    const step = transition(DISCARD_TRANSITIONS, this.current, input.type);
    if (!step.ok) return problem(`discard: ${step.error}`);
    this.current = step.to;
    switch (input.type) {
      case 'data':
        this.discarded += input.bytes.length;
        return nothing();
      case 'peer-end':
        return replyAndClose();
      default:
        return assertNever(input, 'discard input');
    }
  }
}

export class DiscardUdpEngine implements UdpServerEngine {
  private datagrams = 0;
  private bytes = 0;

  /** Datagrams received and dropped, from every sender. */
  get datagramsDiscarded(): number {
    return this.datagrams;
  }

  get bytesDiscarded(): number {
    return this.bytes;
  }

  /** RFC 863: "simply throw away any datagram that is received". */
  receive(datagram: Uint8Array): EngineOutput {
    this.datagrams++;
    this.bytes += datagram.length;
    return nothing();
  }
}
