// Echo over TCP, RFC 862: once the connection is open, every byte received is sent back, until
// the client ends the connection.
//
//            data                    peer-end
//   echoing -------> echoing   echoing ------> closed
//
// Over UDP there is no connection and so no state: each datagram is answered on its own.

import type { TransitionTable } from '../core/state-machine';

export type EchoState = 'echoing' | 'closed';

export type EchoEvent = 'data' | 'peer-end';

export const ECHO_INITIAL_STATE: EchoState = 'echoing';

export const ECHO_TRANSITIONS: TransitionTable<EchoState, EchoEvent> = {
  echoing: { data: 'echoing', 'peer-end': 'closed' },
  closed: {},
};

/** One line per state for the servers panel. */
export const ECHO_STATE_LABELS: Readonly<Record<EchoState, string>> = {
  echoing: 'Echoing: every byte received is sent straight back',
  closed: 'Closed: the client ended the connection',
};
