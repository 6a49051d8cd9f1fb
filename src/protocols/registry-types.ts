// What every protocol module offers the rest of the lab: a framer for the capture, a dissector
// for the details pane, and its field table. Engines are per protocol and used by the services.

import type { Direction, MessageRole, Transport } from '../shared/capture';
import type { DnsRole } from '../shared/dns';
import type { Explanation } from './core/explain';
import type { FieldNode, FieldTable } from './core/field';
import type { FramerFactory } from './core/framing';

export interface DissectContext {
  dir: Direction;
  role: MessageRole;
  transport: Transport;
  /** The connection ended before the message did. */
  partial?: boolean;
  /** This message's number in the capture (#n) and its time (ms since capture start), when known. */
  id?: number;
  t?: number;
  /**
   * The message it pairs with, when the capture paired it: for a response the request it answers,
   * for a request its response. Dissectors use it for "response to #n" and, with the bytes, for
   * rules that depend on the request (an HTTP response to HEAD has no body).
   */
  pairedWith?: PairedMessage;
  /**
   * The host that sent this message and the one it went to, as the lab world names them, when the
   * capture knows the connection. The bytes rarely say who sent them (a DNS message never does);
   * the DNS dissector shows these as the place of each end in the hierarchy.
   */
  sender?: MessagePeer;
  receiver?: MessagePeer;
}

/** One end of a message in the lab world. */
export interface MessagePeer {
  /** World host name, e.g. `a.root-servers.net`; absent for a host outside the world. */
  name?: string;
  /** Its address in the world, e.g. 198.41.0.4. */
  address: string;
  /**
   * Its place in the DNS picture: a root, TLD or authoritative server, the local name server
   * (`resolver`), or a `client` that only asks. Absent when the lab does not know the host.
   */
  role?: DnsRole;
  /** The world's client host: the student's own machine (cis.poly.edu). */
  studentMachine?: boolean;
}

export interface PairedMessage {
  id: number;
  t: number;
  bytes?: Uint8Array;
}

export interface ProtocolModule {
  /** Id used in ConnectionInfo.protocol and MessageSummary.protocol, e.g. `echo`. */
  id: string;
  /** Display name, e.g. `Echo`. */
  title: string;
  /** The defining document, e.g. `RFC 862`. */
  rfc: string;
  fields: FieldTable;
  createFramer: FramerFactory;
  dissect(bytes: Uint8Array, ctx: DissectContext): FieldNode[];
  /** A plain-language explanation of one message for the details pane. */
  explain?(bytes: Uint8Array, ctx: DissectContext): Explanation;
}
