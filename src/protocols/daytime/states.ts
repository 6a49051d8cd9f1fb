// Daytime over TCP, RFC 867: as soon as the connection is open the server sends the date and time
// as one line and closes; anything the client sends is thrown away.
//
//              connected                 data                  peer-end
//   greeting -----------> closing   closing ----> closing   closing -------> closed
//            (send date, close)       (ignored)
//
// Over UDP there is no connection and so no state: each datagram gets the date line back.

import type { TransitionTable } from '../core/state-machine';

export type DaytimeState = 'greeting' | 'closing' | 'closed';

export type DaytimeEvent = 'connected' | 'data' | 'peer-end';

export const DAYTIME_INITIAL_STATE: DaytimeState = 'greeting';

export const DAYTIME_TRANSITIONS: TransitionTable<DaytimeState, DaytimeEvent> = {
  greeting: { connected: 'closing' },
  closing: { data: 'closing', 'peer-end': 'closed' },
  closed: {},
};

export const DAYTIME_STATE_LABELS: Readonly<Record<DaytimeState, string>> = {
  greeting: 'Greeting: about to send the date and time',
  closing: 'Closing: the date was sent, the server is closing; anything received is ignored',
  closed: 'Closed',
};
