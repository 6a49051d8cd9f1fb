// The shape every sans-IO server engine answers with, so one small socket adapter per transport
// can drive any of them: the adapter writes `send`, closes when asked, and logs `problem`.

export interface EngineOutput {
  /** Bytes to write, in order (TCP), or datagrams to send back to the sender (UDP). */
  send: Uint8Array[];
  /** Close the connection once `send` is written. UDP engines never set it. */
  close: boolean;
  /** What was wrong with the input, as a value; the engine stays usable. */
  problem?: string;
}

/** A TCP server engine for one connection. `now` is wall-clock milliseconds since the epoch. */
export interface TcpServerEngine<S extends string = string> {
  readonly state: S;
  /** The connection was accepted. */
  connected(now: number): EngineOutput;
  /** Bytes arrived from the client. */
  receive(bytes: Uint8Array, now: number): EngineOutput;
  /** The client half-closed (sent FIN). */
  peerEnded(now: number): EngineOutput;
}

/** A UDP server engine: each datagram in, zero or more datagrams back to its sender. */
export interface UdpServerEngine {
  receive(datagram: Uint8Array, now: number): EngineOutput;
}

export function reply(...send: Uint8Array[]): EngineOutput {
  return { send, close: false };
}

export function replyAndClose(...send: Uint8Array[]): EngineOutput {
  return { send, close: true };
}

export function nothing(): EngineOutput {
  return { send: [], close: false };
}

export function problem(message: string, close = false): EngineOutput {
  return { send: [], close, problem: message };
}
