// Sans-IO daytime server (RFC 867). The time comes in as an argument, so tests and replays can
// fix it; the engine never reads a clock.

import { assertNever } from '../core/assert-never';
import { utf8ToBytes } from '../core/bytes';
import { nothing, problem, reply, replyAndClose, type EngineOutput, type TcpServerEngine, type UdpServerEngine } from '../core/engine';
import { transition } from '../core/state-machine';
import { formatDaytime, isRepresentableTime } from './date-line';
import { DAYTIME_INITIAL_STATE, DAYTIME_TRANSITIONS, type DaytimeState } from './states';

/** RFC 867: daytime listens on TCP port 13 and UDP port 13. */
export const DAYTIME_PORT = 13;

/** The date line as sent: the text and a CR LF, so a telnet-style client ends the line. */
export function daytimeLine(now: number): Uint8Array {
  return utf8ToBytes(`${formatDaytime(now)}\r\n`);
}

function badClock(now: number): string {
  return `daytime: the clock gave ${now}, which is not a time; no date was sent`;
}

type DaytimeInput = { type: 'connected'; now: number } | { type: 'data' } | { type: 'peer-end' };

export class DaytimeTcpEngine implements TcpServerEngine<DaytimeState> {
  private current: DaytimeState = DAYTIME_INITIAL_STATE;

  get state(): DaytimeState {
    return this.current;
  }

  connected(now: number): EngineOutput {
    return this.handle({ type: 'connected', now });
  }

  receive(): EngineOutput {
    return this.handle({ type: 'data' });
  }

  peerEnded(): EngineOutput {
    return this.handle({ type: 'peer-end' });
  }

  private handle(input: DaytimeInput): EngineOutput {
    const step = transition(DAYTIME_TRANSITIONS, this.current, input.type);
    if (!step.ok) return problem(`daytime: ${step.error}`);
    this.current = step.to;
    switch (input.type) {
      case 'connected':
        // RFC 867: send the date, then close, whether or not the date could be made.
        return isRepresentableTime(input.now) ? replyAndClose(daytimeLine(input.now)) : problem(badClock(input.now), true);
      case 'data':
        // RFC 867: "any data received is thrown away".
        return nothing();
      case 'peer-end':
        return replyAndClose();
      default:
        return assertNever(input, 'daytime input');
    }
  }
}

export class DaytimeUdpEngine implements UdpServerEngine {
  /** RFC 867: any datagram, whatever it holds, is answered with one datagram holding the date. */
  receive(_datagram: Uint8Array, now: number): EngineOutput {
    return isRepresentableTime(now) ? reply(daytimeLine(now)) : problem(badClock(now));
  }
}
