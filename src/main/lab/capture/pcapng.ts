// pcapng writer: turns capture events into a file Wireshark opens and dissects as if it had been
// on the wire. Block layouts follow the PCAP Next Generation format (IETF draft-ietf-opsawg-pcapng,
// "pcapng" below): one Section Header Block, one Interface Description Block with LINKTYPE_RAW, then
// one Enhanced Packet Block per synthesized IP packet. TCP connections get a handshake, consistent
// sequence and acknowledgment numbers, and a FIN exchange, so the stream follows and reassembles.

import fs from 'node:fs';
import type { CaptureEvent, ConnectionInfo, Endpoint } from '../../../shared/capture';
import {
  buildTcpPacket,
  buildUdpPacket,
  ipv4MappedIpv6,
  maxUdpPayload,
  parseIpAddress,
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  type IpAddressBytes,
} from './packet-synth';

/** pcapng §4.1 block type of the Section Header Block. */
export const BLOCK_SECTION_HEADER = 0x0a0d0d0a;
/** pcapng §4.2 Interface Description Block. */
export const BLOCK_INTERFACE_DESCRIPTION = 0x00000001;
/** pcapng §4.3 Enhanced Packet Block. */
export const BLOCK_ENHANCED_PACKET = 0x00000006;
/** pcapng §4.1: written in the writer's byte order so a reader can tell it. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** tcpdump.org link-layer header types: LINKTYPE_RAW, a bare IPv4 or IPv6 packet, no link header. */
export const LINKTYPE_RAW = 101;
/**
 * Default snapshot length: libpcap's MAXIMUM_SNAPLEN (262144). Every packet the writer synthesizes
 * is at most 65535 + 40 bytes, so by default nothing is cut.
 */
export const DEFAULT_SNAPLEN = 262_144;
/**
 * Segment size: Ethernet's 1500-byte MTU less 20 bytes of IPv4 and 20 of TCP header (RFC 9293
 * §3.7.1), so the trace looks like an ordinary network path rather than loopback's 64 KiB segments.
 */
export const TCP_MSS = 1460;
/** Receive window advertised in every segment (RFC 9293 §3.1, no window scaling: 16 bits). */
export const TCP_WINDOW = 65_535;

// Option codes (pcapng §3.5 and the per-block option tables).
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
/** if_tsresol value 6: timestamps count 10^-6 s (microseconds). */
const TSRESOL_MICROSECONDS = 6;

const textEncoder = new TextEncoder();

interface PcapngOption {
  code: number;
  value: Uint8Array;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** pcapng §3.1 general block: type, total length, body (padded), total length again. */
function buildBlock(type: number, body: Uint8Array, options: PcapngOption[]): Uint8Array {
  let optionBytes = 0;
  if (options.length > 0) {
    for (const o of options) optionBytes += 4 + pad4(o.value.length);
    optionBytes += 4; // opt_endofopt
  }
  const total = 12 + pad4(body.length) + optionBytes;
  const block = new Uint8Array(total);
  const v = new DataView(block.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, total, true);
  block.set(body, 8);
  let at = 8 + pad4(body.length);
  if (options.length > 0) {
    for (const o of options) {
      v.setUint16(at, o.code, true);
      v.setUint16(at + 2, o.value.length, true);
      block.set(o.value, at + 4);
      at += 4 + pad4(o.value.length);
    }
    v.setUint16(at, OPT_ENDOFOPT, true);
    v.setUint16(at + 2, 0, true);
    at += 4;
  }
  v.setUint32(at, total, true);
  return block;
}

/** pcapng §3.5: an option's Option Length field is 16 bits. */
export const MAX_OPTION_VALUE_BYTES = 0xffff;

function textOption(code: number, text: string): PcapngOption {
  const value = textEncoder.encode(text);
  // A longer text is cut at a UTF-8 character boundary rather than refused.
  if (value.length <= MAX_OPTION_VALUE_BYTES) return { code, value };
  let end = MAX_OPTION_VALUE_BYTES;
  while (end > 0 && (value[end] & 0xc0) === 0x80) end--;
  return { code, value: value.subarray(0, end) };
}

export function buildSectionHeaderBlock(application: string): Uint8Array {
  const body = new Uint8Array(16);
  const v = new DataView(body.buffer);
  v.setUint32(0, BYTE_ORDER_MAGIC, true);
  v.setUint16(4, 1, true); // major version
  v.setUint16(6, 0, true); // minor version
  v.setBigInt64(8, -1n, true); // section length not specified: the file is written as a stream
  return buildBlock(BLOCK_SECTION_HEADER, body, [textOption(SHB_USERAPPL, application)]);
}

export function buildInterfaceDescriptionBlock(snaplen: number, name: string, description: string): Uint8Array {
  const body = new Uint8Array(8);
  const v = new DataView(body.buffer);
  v.setUint16(0, LINKTYPE_RAW, true);
  v.setUint16(2, 0, true);
  v.setUint32(4, snaplen, true);
  return buildBlock(BLOCK_INTERFACE_DESCRIPTION, body, [
    textOption(IF_NAME, name),
    textOption(IF_DESCRIPTION, description),
    { code: IF_TSRESOL, value: new Uint8Array([TSRESOL_MICROSECONDS]) },
  ]);
}

export function buildEnhancedPacketBlock(
  timestampMicros: number,
  packet: Uint8Array,
  snaplen: number,
  comment?: string,
): Uint8Array {
  const captured = Math.min(packet.length, snaplen);
  const body = new Uint8Array(20 + captured);
  const v = new DataView(body.buffer);
  const ts = Math.max(0, Math.round(timestampMicros));
  v.setUint32(0, 0, true); // interface id: the one IDB
  v.setUint32(4, Math.floor(ts / 0x1_0000_0000), true);
  v.setUint32(8, ts % 0x1_0000_0000, true);
  v.setUint32(12, captured, true);
  v.setUint32(16, packet.length, true);
  body.set(packet.subarray(0, captured), 20);
  return buildBlock(BLOCK_ENHANCED_PACKET, body, comment ? [textOption(OPT_COMMENT, comment)] : []);
}

export interface PcapngSink {
  write(bytes: Uint8Array): void;
}

export interface PcapngWriterOptions {
  /** Snapshot length for the interface; longer packets are cut (captured < original length). */
  snaplen?: number;
  /** Wall-clock time (ms since the Unix epoch) of capture time 0; defaults to Date.now(). */
  startEpochMs?: number;
}

/**
 * Per-connection state: the addresses to write and, for TCP, each side's next sequence number.
 * Kept only while the connection is open, so the writer's memory follows the live connections,
 * not the length of the capture.
 */
interface FlowState {
  clientAddress: IpAddressBytes;
  serverAddress: IpAddressBytes;
  clientPort: number;
  serverPort: number;
  comment: string;
  handshakeDone: boolean;
  /** Next sequence number each side will send (RFC 9293 §3.4 SND.NXT), mod 2^32. */
  clientNext: number;
  serverNext: number;
}

type Side = 'client' | 'server';

/**
 * A deterministic, well-spread 32-bit initial sequence number (RFC 9293 §3.4.1 wants them hard to
 * guess; here they only need to differ) per connection, side and the event that began the flow.
 */
function initialSequenceNumber(connId: number, side: Side, eventSeq: number): number {
  let x = (Math.imul(connId + 1, 0x9e3779b1) ^ Math.imul(eventSeq + 1, 0x01000193) ^ (side === 'client' ? 0x5bd1e995 : 0x27d4eb2f)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

function add32(a: number, b: number): number {
  return (a + b) >>> 0;
}

/** The address the world presents, or the real one when the virtual address does not parse. */
function endpointAddress(ep: Endpoint): IpAddressBytes {
  const address = parseIpAddress(ep.virtualAddress) ?? parseIpAddress(ep.address);
  if (!address) {
    throw new Error(`cannot write endpoint to pcapng: neither "${ep.virtualAddress}" nor "${ep.address}" is an IP address`);
  }
  return address;
}

function endpointPort(ep: Endpoint): number {
  const port = Number.isInteger(ep.virtualPort) && ep.virtualPort >= 0 && ep.virtualPort <= 0xffff ? ep.virtualPort : ep.port;
  return port & 0xffff;
}

/** The comment on every packet: which lab service it was and where it really listened. */
export function packetComment(conn: ConnectionInfo): string {
  const label = conn.serviceId ?? `${conn.protocol} ${conn.server.hostname ?? conn.server.virtualAddress}:${conn.server.virtualPort}`;
  return `${label} (lab port ${conn.server.address}:${conn.server.port})`;
}

export class PcapngWriter {
  readonly snaplen: number;
  readonly startEpochMs: number;
  private readonly sink: PcapngSink;
  private readonly flows = new Map<number, FlowState>();
  private nextIpId = 1;
  private packets = 0;

  constructor(sink: PcapngSink, options: PcapngWriterOptions = {}) {
    const snaplen = options.snaplen ?? DEFAULT_SNAPLEN;
    if (!Number.isInteger(snaplen) || snaplen < 1 || snaplen > 0xffff_ffff) {
      throw new RangeError(`pcapng snaplen must be an integer from 1 to ${0xffff_ffff}, got ${snaplen}`);
    }
    this.snaplen = snaplen;
    this.startEpochMs = options.startEpochMs ?? Date.now();
    this.sink = sink;
    sink.write(buildSectionHeaderBlock('Protolab'));
    sink.write(buildInterfaceDescriptionBlock(snaplen, 'protolab', 'Protolab lab capture (synthesized IP headers)'));
  }

  /** Connections whose state the writer holds (open ones, as far as it has seen). */
  get openFlowCount(): number {
    return this.flows.size;
  }

  /** Packets (Enhanced Packet Blocks) written so far. */
  get packetCount(): number {
    return this.packets;
  }

  /** Writes the packets one capture event stands for. `conn` is the connection the event belongs to. */
  writeEvent(event: CaptureEvent, conn: ConnectionInfo): void {
    if (event.type !== 'open' && event.connId !== conn.id) {
      throw new Error(`event for connection ${event.connId} was given connection ${conn.id}`);
    }
    const flowConn = event.type === 'open' ? event.conn : conn;
    switch (event.type) {
      case 'open':
        if (flowConn.transport === 'tcp') this.ensureHandshake(flowConn, event.t, event.seq);
        else this.flow(flowConn, event.seq);
        return;
      case 'data':
        this.writeTcpData(flowConn, event, event.dir === 'c2s' ? 'client' : 'server');
        return;
      case 'datagram':
        this.writeDatagram(flowConn, event, event.dir === 'c2s' ? 'client' : 'server');
        return;
      case 'close':
      case 'reset': {
        // Nothing to end for a connection this writer never saw carry anything (an export that
        // starts at its close, or a second close): no packets, and no state left behind.
        const flow = this.flows.get(flowConn.id);
        this.flows.delete(flowConn.id);
        if (!flow || flowConn.transport !== 'tcp' || !flow.handshakeDone) return;
        if (event.type === 'close') this.writeTcpClose(flow, event.t, event.by);
        else this.writeTcpReset(flow, event.t, event.by);
        return;
      }
      default:
        assertNever(event);
    }
  }

  private flow(conn: ConnectionInfo, eventSeq: number): FlowState {
    let flow = this.flows.get(conn.id);
    if (flow) return flow;
    let clientAddress = endpointAddress(conn.client);
    let serverAddress = endpointAddress(conn.server);
    // One packet has one IP version: an IPv4 end of a mixed pair is written IPv4-mapped.
    if (clientAddress.length !== serverAddress.length) {
      if (clientAddress.length === 4) clientAddress = ipv4MappedIpv6(clientAddress);
      else serverAddress = ipv4MappedIpv6(serverAddress);
    }
    flow = {
      clientAddress,
      serverAddress,
      clientPort: endpointPort(conn.client),
      serverPort: endpointPort(conn.server),
      comment: packetComment(conn),
      handshakeDone: false,
      clientNext: initialSequenceNumber(conn.id, 'client', eventSeq),
      serverNext: initialSequenceNumber(conn.id, 'server', eventSeq),
    };
    this.flows.set(conn.id, flow);
    return flow;
  }

  private emitTcp(flow: FlowState, t: number, from: Side, flags: number, payload: Uint8Array, mss?: number): void {
    const fromClient = from === 'client';
    const packet = buildTcpPacket(
      {
        src: fromClient ? flow.clientAddress : flow.serverAddress,
        dst: fromClient ? flow.serverAddress : flow.clientAddress,
        id: this.takeIpId(),
      },
      {
        srcPort: fromClient ? flow.clientPort : flow.serverPort,
        dstPort: fromClient ? flow.serverPort : flow.clientPort,
        seq: fromClient ? flow.clientNext : flow.serverNext,
        ack: flags & TCP_ACK ? (fromClient ? flow.serverNext : flow.clientNext) : 0,
        flags,
        window: TCP_WINDOW,
        mss,
        payload,
      },
    );
    // SYN and FIN each take one sequence number (RFC 9293 §3.4).
    const used = payload.length + (flags & TCP_SYN ? 1 : 0) + (flags & TCP_FIN ? 1 : 0);
    if (fromClient) flow.clientNext = add32(flow.clientNext, used);
    else flow.serverNext = add32(flow.serverNext, used);
    this.emitPacket(t, packet, flow.comment);
  }

  private emitPacket(t: number, packet: Uint8Array, comment: string): void {
    const micros = (this.startEpochMs + t) * 1000;
    this.sink.write(buildEnhancedPacketBlock(micros, packet, this.snaplen, comment));
    this.packets++;
  }

  private takeIpId(): number {
    const id = this.nextIpId;
    this.nextIpId = (this.nextIpId + 1) & 0xffff;
    return id;
  }

  /**
   * RFC 9293 §3.5 three-way handshake. Also run for a connection first seen carrying data: a
   * capture exported from the middle, or bytes after a close (the tap should not report those, but
   * rather than drop them the pair starts over and Wireshark notes the port reuse). Every stream
   * in the file then starts the way dissectors expect.
   */
  private ensureHandshake(conn: ConnectionInfo, t: number, eventSeq: number): FlowState {
    const flow = this.flow(conn, eventSeq);
    if (flow.handshakeDone) return flow;
    flow.handshakeDone = true;
    this.emitTcp(flow, t, 'client', TCP_SYN, new Uint8Array(0), TCP_MSS);
    this.emitTcp(flow, t, 'server', TCP_SYN | TCP_ACK, new Uint8Array(0), TCP_MSS);
    this.emitTcp(flow, t, 'client', TCP_ACK, new Uint8Array(0));
    return flow;
  }

  private writeTcpData(conn: ConnectionInfo, event: { t: number; seq: number; bytes: Uint8Array }, from: Side): void {
    const { t, bytes } = event;
    if (bytes.length === 0) return;
    const flow = this.ensureHandshake(conn, t, event.seq);
    const to: Side = from === 'client' ? 'server' : 'client';
    let unacked = 0;
    for (let at = 0; at < bytes.length; at += TCP_MSS) {
      const segment = bytes.subarray(at, Math.min(at + TCP_MSS, bytes.length));
      // Never put more in flight than the advertised window, or dissectors flag "window full".
      if (unacked + segment.length > TCP_WINDOW) {
        this.emitTcp(flow, t, to, TCP_ACK, new Uint8Array(0));
        unacked = 0;
      }
      const last = at + TCP_MSS >= bytes.length;
      this.emitTcp(flow, t, from, last ? TCP_PSH | TCP_ACK : TCP_ACK, segment);
      unacked += segment.length;
    }
    this.emitTcp(flow, t, to, TCP_ACK, new Uint8Array(0));
  }

  /** RFC 9293 §3.6: the closer's FIN, the peer's ACK and FIN, the closer's final ACK. */
  private writeTcpClose(flow: FlowState, t: number, by: Side): void {
    const peer: Side = by === 'client' ? 'server' : 'client';
    this.emitTcp(flow, t, by, TCP_FIN | TCP_ACK, new Uint8Array(0));
    this.emitTcp(flow, t, peer, TCP_ACK, new Uint8Array(0));
    this.emitTcp(flow, t, peer, TCP_FIN | TCP_ACK, new Uint8Array(0));
    this.emitTcp(flow, t, by, TCP_ACK, new Uint8Array(0));
  }

  private writeTcpReset(flow: FlowState, t: number, by: Side): void {
    this.emitTcp(flow, t, by, TCP_RST | TCP_ACK, new Uint8Array(0));
  }

  private writeDatagram(conn: ConnectionInfo, event: { t: number; seq: number; bytes: Uint8Array }, from: Side): void {
    const { t, bytes } = event;
    const flow = this.flow(conn, event.seq);
    const fromClient = from === 'client';
    const src = fromClient ? flow.clientAddress : flow.serverAddress;
    const limit = maxUdpPayload(src.length);
    let comment = flow.comment;
    let payload = bytes;
    // A datagram longer than one IP packet can hold cannot have crossed a real network; keep
    // what fits and say so rather than drop the packet.
    if (bytes.length > limit) {
      payload = bytes.subarray(0, limit);
      comment += `; datagram of ${bytes.length} bytes cut to the ${limit}-byte UDP maximum`;
    }
    const packet = buildUdpPacket(
      { src, dst: fromClient ? flow.serverAddress : flow.clientAddress, id: this.takeIpId() },
      {
        srcPort: fromClient ? flow.clientPort : flow.serverPort,
        dstPort: fromClient ? flow.serverPort : flow.clientPort,
        payload,
      },
    );
    this.emitPacket(t, packet, comment);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected capture event: ${JSON.stringify(x)}`);
}

export interface PcapngFile {
  writer: PcapngWriter;
  close(): void;
}

/**
 * A pcapng file written block by block with fs.writeSync: no block sits in a buffer, so a file cut
 * short (the process killed, the disk full) still reads up to its last whole packet.
 */
export function openPcapngFile(path: string, options: PcapngWriterOptions = {}): PcapngFile {
  const fd = fs.openSync(path, 'w');
  let open = true;
  const sink: PcapngSink = {
    write(bytes) {
      if (!open) throw new Error(`pcapng file ${path} is closed`);
      let at = 0;
      while (at < bytes.length) at += fs.writeSync(fd, bytes, at, bytes.length - at);
    },
  };
  let writer: PcapngWriter;
  try {
    writer = new PcapngWriter(sink, options);
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  return {
    writer,
    close() {
      if (!open) return;
      open = false;
      fs.closeSync(fd);
    },
  };
}
