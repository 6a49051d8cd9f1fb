// The server side of one HTTP/1.x connection, every move in one table (the h11 `_state.py` model).
// Persistent connections and pipelining follow RFC 9112 §9.3 and §9.3.2; timeouts §9.8.
//
//                    first byte of a request
//   +-----> idle -------------------------------> reading-head ---- head done, body follows ----+
//   |        |  \  a whole request at once             |                                       |
//   |        |   \  (HTTP/0.9 line, pipelined)         | head done, no body                    v
//   |        |    +-----------------------------+      |                               reading-body
//   |        |                                  v      v                                       |
//   |        |                            awaiting-response <------------- body done ----------+
//   |        |                              |        |
//   |        +--- respond, keep-alive ------+        | client closed its side
//   |                                                v
//   |                                            draining --- respond (last one) ---> closed
//   +------------------------------------------------+  respond (more held requests)
//
//   idle, reading-head, reading-body: a protocol error (400, 505, ...) or timeout (408 or a
//   silent close when idle) or the client's close -> closed. awaiting-response: a response
//   that ends the connection (HTTP/1.0 without keep-alive, Connection: close, the request limit)
//   -> closed. Pipelined requests that arrive while one is being answered are held, in order,
//   and released one at a time as each answer is sent.

import type { TransitionTable } from '../core/state-machine';

export type HttpConnectionState = 'idle' | 'reading-head' | 'reading-body' | 'awaiting-response' | 'draining' | 'closed';

export type HttpConnectionEvent =
  | 'request-bytes'
  | 'head-with-body'
  | 'request-complete'
  | 'respond-keep-alive'
  | 'respond-close'
  | 'protocol-error'
  | 'header-timeout'
  | 'body-timeout'
  | 'idle-timeout'
  | 'peer-end'
  | 'drained';

export const HTTP_INITIAL_STATE: HttpConnectionState = 'idle';

export const HTTP_TRANSITIONS: TransitionTable<HttpConnectionState, HttpConnectionEvent> = {
  idle: {
    'request-bytes': 'reading-head',
    'request-complete': 'awaiting-response',
    'protocol-error': 'closed',
    'idle-timeout': 'closed',
    'peer-end': 'closed',
  },
  'reading-head': {
    'head-with-body': 'reading-body',
    'request-complete': 'awaiting-response',
    'protocol-error': 'closed',
    'header-timeout': 'closed',
    'peer-end': 'closed',
  },
  'reading-body': {
    'request-complete': 'awaiting-response',
    'protocol-error': 'closed',
    'body-timeout': 'closed',
    'peer-end': 'closed',
  },
  'awaiting-response': {
    'respond-keep-alive': 'idle',
    'respond-close': 'closed',
    'peer-end': 'draining',
  },
  draining: {
    'respond-keep-alive': 'draining',
    'respond-close': 'closed',
    'protocol-error': 'closed',
    drained: 'closed',
  },
  closed: {},
};

/** One line per state for the servers panel. */
export const HTTP_STATE_LABELS: Readonly<Record<HttpConnectionState, string>> = {
  idle: 'Idle: waiting for the next request (closes after the keep-alive timeout)',
  'reading-head': 'Reading a request line and headers, up to the blank line',
  'reading-body': 'Reading a request body (Content-Length or chunked)',
  'awaiting-response': 'Request received: the server is preparing its response',
  draining: 'The client closed its side: answering the requests already received, then closing',
  closed: 'Closed',
};
