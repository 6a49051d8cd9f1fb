// Capture records: what the tap saw on every socket the lab owns, and the messages (PDUs) that the
// per-protocol framers cut out of those byte streams. Types only: the journal, the faces and the
// renderer all speak these shapes. Bytes travel as base64 strings so the same objects cross a
// WebSocket (JSON) and Electron IPC (structured clone) unchanged.

export type Transport = 'tcp' | 'udp';

/** Direction of a chunk or message: client to server, or server to client. */
export type Direction = 'c2s' | 's2c';

/** One end of a connection, as it really is (loopback) and as the lab world presents it. */
export interface Endpoint {
  /** Real socket address, e.g. 127.0.0.1. */
  address: string;
  /** Real socket port, e.g. 10080. */
  port: number;
  /** Address in the lab world, e.g. 128.119.245.12 for gaia.cs.umass.edu. */
  virtualAddress: string;
  /** Port in the lab world: the well-known port for a service (80), the real ephemeral port for a client. */
  virtualPort: number;
  /** World host name, when the endpoint is a world host. */
  hostname?: string;
}

/** Which side of the lab holds the tapped socket: a lab server accepted it, or a lab client opened it. */
export type TapSide = 'server' | 'client';

export type ConnectionState = 'open' | 'closed' | 'reset';

export interface ConnectionInfo {
  id: number;
  transport: Transport;
  /** Protocol the framers and dissectors use for this connection ('echo', 'http', 'raw', ...). */
  protocol: string;
  /** Service id when one of the lab's services is an end of it. */
  serviceId?: string;
  side: TapSide;
  client: Endpoint;
  server: Endpoint;
  /** Milliseconds since the capture started (monotonic clock). */
  openedAt: number;
  closedAt?: number;
  state: ConnectionState;
  /** Who ended it: the side that sent the first FIN (closed) or the RST (reset). */
  closedBy?: 'client' | 'server';
  /** For a reset: why, when known (e.g. `ECONNRESET`, `the lab stopped`). */
  closeReason?: string;
}

/** Raw capture events in the order the tap saw them; `seq` counts every event of a capture. */
export type CaptureEvent =
  | { type: 'open'; seq: number; t: number; conn: ConnectionInfo }
  | { type: 'data'; seq: number; t: number; connId: number; dir: Direction; bytes: Uint8Array }
  | { type: 'datagram'; seq: number; t: number; connId: number; dir: Direction; bytes: Uint8Array }
  | { type: 'close'; seq: number; t: number; connId: number; by: 'client' | 'server' }
  | { type: 'reset'; seq: number; t: number; connId: number; by: 'client' | 'server'; reason?: string };

export type CaptureEventType = CaptureEvent['type'];

/** What a framer says a message is, for request/response pairing. */
export type MessageRole = 'request' | 'response' | 'other';

/** One message (PDU) of a connection, without its bytes: a row of the packet list. */
export interface MessageSummary {
  /** 1-based, in capture order: "#12". */
  id: number;
  connId: number;
  protocol: string;
  transport: Transport;
  dir: Direction;
  role: MessageRole;
  /** Milliseconds since the capture started, when its first byte was seen. */
  t: number;
  length: number;
  /** One line for the packet list, e.g. `MAIL FROM:<alice@crepes.fr>` or `250 Sender ok`. */
  summary: string;
  /** Display names of the two ends, e.g. `cis.poly.edu:49152` and `gaia.cs.umass.edu:80`. */
  source: string;
  destination: string;
  /** For a response: the id of the request it answers. */
  responseTo?: number;
  /** For a request: the id of its response, once seen (filled in later batches). */
  answeredBy?: number;
  /**
   * For a request: its connection ended and no response to it had come (a query to a stopped
   * server, a request the server closed on). Known once the connection ends: in a later batch
   * (`unanswered`), and when the message is read back, while the recorder still remembers it
   * (MAX_REMEMBERED_UNANSWERED).
   */
  noReply?: boolean;
  /** Bytes that ended with the connection before the framer saw the message end. */
  partial?: boolean;
}

export interface MessageDetail extends MessageSummary {
  /** The message's bytes, base64. */
  bytes: string;
  /** The connection the message belongs to; absent once a very old closed connection was evicted from memory. */
  conn?: ConnectionInfo;
}

/** A batch of live capture updates for the faces (sent every ~16 ms or 256 KiB). */
export interface CaptureBatch {
  /** Connections that opened or changed state since the last batch. */
  connections: ConnectionInfo[];
  /** New messages in id order. */
  messages: MessageSummary[];
  /** Requests whose response arrived in this batch: request id -> response id. */
  answers: Array<[number, number]>;
  /** Requests whose connection ended in this batch with no response to them (MessageSummary.noReply). */
  unanswered: number[];
  /** Total messages in the capture after this batch. */
  totalMessages: number;
}

export interface CaptureStats {
  totalMessages: number;
  totalEvents: number;
  totalBytes: number;
  journalPath: string;
  startedAt: string;
}
