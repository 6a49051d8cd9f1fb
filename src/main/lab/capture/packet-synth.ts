// Synthesized IPv4/IPv6 + TCP/UDP packets for the pcapng export. The lab's sockets are real but the
// kernel's headers are not visible to it, so the export rebuilds headers that a dissector accepts:
// valid checksums, consistent lengths, the lab world's addresses and well-known ports.

/** IP protocol numbers (IANA "Assigned Internet Protocol Numbers"). */
export const IP_PROTOCOL_TCP = 6;
export const IP_PROTOCOL_UDP = 17;

/** RFC 791 §3.1: a 20-byte header without options (IHL 5). */
export const IPV4_HEADER_BYTES = 20;
/** RFC 8200 §3: the fixed IPv6 header. */
export const IPV6_HEADER_BYTES = 40;
/** RFC 791 §3.1: Total Length is 16 bits, so an IPv4 packet is at most 65535 bytes. */
export const IPV4_MAX_PACKET_BYTES = 65_535;
/** RFC 8200 §3: Payload Length is 16 bits (no jumbograms here). */
export const IPV6_MAX_PAYLOAD_BYTES = 65_535;
/** RFC 768: the UDP header. */
export const UDP_HEADER_BYTES = 8;
/** RFC 9293 §3.1: a TCP header without options (data offset 5). */
export const TCP_HEADER_BYTES = 20;
/** Initial TTL / hop limit: the common Linux default (net.ipv4.ip_default_ttl). */
export const DEFAULT_TTL = 64;

/** RFC 9293 §3.1 control bits. */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

/** RFC 9293 §3.2: option kind 2, length 4, carries the Maximum Segment Size. */
const TCP_OPTION_MSS = 2;

export type IpAddressBytes = Uint8Array; // 4 bytes (IPv4) or 16 bytes (IPv6)

/** Parses dotted-quad IPv4 or RFC 4291 §2.2 IPv6 text. Returns null when the text is neither. */
export function parseIpAddress(text: string): IpAddressBytes | null {
  return parseIpv4(text) ?? parseIpv6(text);
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | null {
  // A zone index (fe80::1%eth0) names a local interface; it is not part of the address.
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const noZone = bare.split('%')[0];
  if (!noZone.includes(':')) return null;
  const halves = noZone.split('::');
  if (halves.length > 2) return null;
  const toGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const groups: number[] = [];
    const pieces = s.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      // RFC 4291 §2.2 form 3: the last 32 bits may be written as dotted IPv4.
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return null;
        groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return null;
      groups.push(parseInt(piece, 16));
    }
    return groups;
  };
  const head = toGroups(halves[0]);
  const tail = halves.length === 2 ? toGroups(halves[1]) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** RFC 4291 §2.5.5.2: an IPv4 address carried in IPv6 as ::ffff:a.b.c.d. */
export function ipv4MappedIpv6(v4: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out.set(v4, 12);
  return out;
}

/** RFC 1071 one's-complement sum of 16-bit words, before the final complement. */
function onesComplementSum(bytes: Uint8Array, start: number, end: number, sum: number): number {
  let i = start;
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) sum += bytes[i] << 8; // an odd byte is padded with a zero byte
  return sum;
}

function foldChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** RFC 1071 Internet checksum over the concatenation of the given byte ranges (each even-length but the last). */
export function internetChecksum(...parts: Uint8Array[]): number {
  let sum = 0;
  for (const part of parts) sum = onesComplementSum(part, 0, part.length, sum);
  return foldChecksum(sum);
}

/** RFC 9293 §3.1 / RFC 768 (IPv4) and RFC 8200 §8.1 (IPv6) pseudo-header for transport checksums. */
export function pseudoHeader(src: IpAddressBytes, dst: IpAddressBytes, protocol: number, length: number): Uint8Array {
  if (src.length === 4) {
    const p = new Uint8Array(12);
    p.set(src, 0);
    p.set(dst, 4);
    p[9] = protocol;
    p[10] = length >> 8;
    p[11] = length & 0xff;
    return p;
  }
  const p = new Uint8Array(40);
  p.set(src, 0);
  p.set(dst, 16);
  new DataView(p.buffer).setUint32(32, length);
  p[39] = protocol;
  return p;
}

export interface TcpSegmentSpec {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  /** Maximum Segment Size option to advertise (only meaningful on SYN segments). */
  mss?: number;
  payload: Uint8Array;
}

export interface UdpDatagramSpec {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

export interface IpSpec {
  src: IpAddressBytes;
  dst: IpAddressBytes;
  /** IPv4 Identification (RFC 791 §3.1); ignored for IPv6. */
  id: number;
  ttl?: number;
}

/** A TCP segment with its checksum filled in over the pseudo-header (RFC 9293 §3.1). */
export function buildTcpSegment(ip: Pick<IpSpec, 'src' | 'dst'>, spec: TcpSegmentSpec): Uint8Array {
  const optionBytes = spec.mss === undefined ? 0 : 4;
  const headerBytes = TCP_HEADER_BYTES + optionBytes;
  const seg = new Uint8Array(headerBytes + spec.payload.length);
  const v = new DataView(seg.buffer);
  v.setUint16(0, spec.srcPort);
  v.setUint16(2, spec.dstPort);
  v.setUint32(4, spec.seq >>> 0);
  v.setUint32(8, spec.ack >>> 0);
  seg[12] = (headerBytes / 4) << 4;
  seg[13] = spec.flags;
  v.setUint16(14, spec.window);
  if (spec.mss !== undefined) {
    seg[20] = TCP_OPTION_MSS;
    seg[21] = 4;
    v.setUint16(22, spec.mss);
  }
  seg.set(spec.payload, headerBytes);
  const sum = internetChecksum(pseudoHeader(ip.src, ip.dst, IP_PROTOCOL_TCP, seg.length), seg);
  v.setUint16(16, sum);
  return seg;
}

/** A UDP datagram with its checksum (RFC 768; a computed zero is sent as all ones). */
export function buildUdpDatagram(ip: Pick<IpSpec, 'src' | 'dst'>, spec: UdpDatagramSpec): Uint8Array {
  const length = UDP_HEADER_BYTES + spec.payload.length;
  if (length > 0xffff) throw new RangeError(`UDP datagram of ${length} bytes exceeds the 16-bit Length field (RFC 768)`);
  const dgram = new Uint8Array(length);
  const v = new DataView(dgram.buffer);
  v.setUint16(0, spec.srcPort);
  v.setUint16(2, spec.dstPort);
  v.setUint16(4, length);
  dgram.set(spec.payload, UDP_HEADER_BYTES);
  const sum = internetChecksum(pseudoHeader(ip.src, ip.dst, IP_PROTOCOL_UDP, length), dgram);
  v.setUint16(6, sum === 0 ? 0xffff : sum);
  return dgram;
}

/** Wraps a transport payload in an IPv4 (RFC 791) or IPv6 (RFC 8200) header, by address length. */
export function buildIpPacket(ip: IpSpec, protocol: number, transport: Uint8Array): Uint8Array {
  if (ip.src.length !== ip.dst.length) throw new Error('source and destination must be the same IP version');
  const ttl = ip.ttl ?? DEFAULT_TTL;
  if (ip.src.length === 4) {
    const total = IPV4_HEADER_BYTES + transport.length;
    if (total > IPV4_MAX_PACKET_BYTES) {
      throw new RangeError(`IPv4 packet of ${total} bytes exceeds the ${IPV4_MAX_PACKET_BYTES}-byte maximum (RFC 791 §3.1)`);
    }
    const pkt = new Uint8Array(total);
    const v = new DataView(pkt.buffer);
    pkt[0] = 0x45; // version 4, IHL 5
    v.setUint16(2, total);
    v.setUint16(4, ip.id & 0xffff);
    v.setUint16(6, 0x4000); // Don't Fragment, as Linux sets on TCP and on path-MTU-probed UDP
    pkt[8] = ttl;
    pkt[9] = protocol;
    pkt.set(ip.src, 12);
    pkt.set(ip.dst, 16);
    v.setUint16(10, internetChecksum(pkt.subarray(0, IPV4_HEADER_BYTES)));
    pkt.set(transport, IPV4_HEADER_BYTES);
    return pkt;
  }
  if (transport.length > IPV6_MAX_PAYLOAD_BYTES) {
    throw new RangeError(`IPv6 payload of ${transport.length} bytes exceeds the ${IPV6_MAX_PAYLOAD_BYTES}-byte maximum (RFC 8200 §3)`);
  }
  const pkt = new Uint8Array(IPV6_HEADER_BYTES + transport.length);
  const v = new DataView(pkt.buffer);
  v.setUint32(0, 0x6000_0000); // version 6, traffic class 0, flow label 0
  v.setUint16(4, transport.length);
  pkt[6] = protocol;
  pkt[7] = ttl;
  pkt.set(ip.src, 8);
  pkt.set(ip.dst, 24);
  pkt.set(transport, IPV6_HEADER_BYTES);
  return pkt;
}

export function buildTcpPacket(ip: IpSpec, spec: TcpSegmentSpec): Uint8Array {
  return buildIpPacket(ip, IP_PROTOCOL_TCP, buildTcpSegment(ip, spec));
}

export function buildUdpPacket(ip: IpSpec, spec: UdpDatagramSpec): Uint8Array {
  return buildIpPacket(ip, IP_PROTOCOL_UDP, buildUdpDatagram(ip, spec));
}

/** The largest UDP payload one IP packet can carry for this address family. */
export function maxUdpPayload(addressBytes: number): number {
  return addressBytes === 4
    ? IPV4_MAX_PACKET_BYTES - IPV4_HEADER_BYTES - UDP_HEADER_BYTES // 65507
    : IPV6_MAX_PAYLOAD_BYTES - UDP_HEADER_BYTES; // 65527
}
