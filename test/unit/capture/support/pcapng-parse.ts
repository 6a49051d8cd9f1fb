// A small independent pcapng reader for the tests: it checks the block framing as it goes and
// decodes the synthesized IPv4/IPv6 + TCP/UDP headers, recomputing every checksum from scratch.

export interface ParsedBlock {
  type: number;
  body: DataView;
  bodyBytes: Uint8Array;
  options: Map<number, Uint8Array[]>;
}

export interface ParsedPacket {
  timestampMicros: number;
  capturedLength: number;
  originalLength: number;
  data: Uint8Array;
  comment?: string;
}

export interface ParsedPcapng {
  shb: ParsedBlock;
  idb: ParsedBlock;
  packets: ParsedPacket[];
}

const decoder = new TextDecoder();

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function parseOptions(bytes: Uint8Array, at: number, end: number): Map<number, Uint8Array[]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const options = new Map<number, Uint8Array[]>();
  while (at + 4 <= end) {
    const code = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (code === 0) break;
    const value = bytes.subarray(at + 4, at + 4 + length);
    options.set(code, [...(options.get(code) ?? []), value]);
    at += 4 + pad4(length);
  }
  return options;
}

export function parsePcapng(file: Uint8Array): ParsedPcapng {
  const view = new DataView(file.buffer, file.byteOffset, file.length);
  const blocks: ParsedBlock[] = [];
  const packets: ParsedPacket[] = [];
  let at = 0;
  while (at < file.length) {
    const type = view.getUint32(at, true);
    const total = view.getUint32(at + 4, true);
    if (total % 4 !== 0) throw new Error(`block at ${at}: length ${total} is not a multiple of 4`);
    if (at + total > file.length) throw new Error(`block at ${at}: runs past the end of the file`);
    if (view.getUint32(at + total - 4, true) !== total) throw new Error(`block at ${at}: trailing length differs`);
    const bodyBytes = file.subarray(at + 8, at + total - 4);
    const body = new DataView(bodyBytes.buffer, bodyBytes.byteOffset, bodyBytes.length);
    if (type === 0x0a0d0d0a) {
      blocks.push({ type, body, bodyBytes, options: parseOptions(bodyBytes, 16, bodyBytes.length) });
    } else if (type === 1) {
      blocks.push({ type, body, bodyBytes, options: parseOptions(bodyBytes, 8, bodyBytes.length) });
    } else if (type === 6) {
      const captured = body.getUint32(12, true);
      const original = body.getUint32(16, true);
      const options = parseOptions(bodyBytes, 20 + pad4(captured), bodyBytes.length);
      const comment = options.get(1)?.[0];
      packets.push({
        timestampMicros: body.getUint32(4, true) * 2 ** 32 + body.getUint32(8, true),
        capturedLength: captured,
        originalLength: original,
        data: bodyBytes.slice(20, 20 + captured),
        comment: comment ? decoder.decode(comment) : undefined,
      });
    } else {
      throw new Error(`unexpected block type ${type.toString(16)} at ${at}`);
    }
    at += total;
  }
  if (blocks[0]?.type !== 0x0a0d0d0a || blocks[1]?.type !== 1) throw new Error('file must start with SHB then IDB');
  return { shb: blocks[0], idb: blocks[1], packets };
}

function checksum(parts: Uint8Array[]): number {
  let sum = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i += 2) sum += (p[i] << 8) | (i + 1 < p.length ? p[i + 1] : 0);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export interface DecodedPacket {
  version: 4 | 6;
  src: string;
  dst: string;
  ipId: number;
  protocol: number;
  srcPort: number;
  dstPort: number;
  /** TCP only. */
  seq: number;
  ack: number;
  flags: number;
  window: number;
  mss?: number;
  payload: Uint8Array;
}

function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return [...bytes].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return groups.join(':');
}

/** Decodes one packet and throws if any length or checksum is wrong. */
export function decodePacket(data: Uint8Array): DecodedPacket {
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  const version = data[0] >> 4;
  let src: Uint8Array;
  let dst: Uint8Array;
  let protocol: number;
  let transport: Uint8Array;
  let ipId = 0;
  let pseudo: Uint8Array;
  if (version === 4) {
    const ihl = (data[0] & 0x0f) * 4;
    if (view.getUint16(2) !== data.length) throw new Error('IPv4 total length differs from the packet');
    if (checksum([data.subarray(0, ihl)]) !== 0) throw new Error('bad IPv4 header checksum');
    ipId = view.getUint16(4);
    protocol = data[9];
    src = data.subarray(12, 16);
    dst = data.subarray(16, 20);
    transport = data.subarray(ihl);
    pseudo = new Uint8Array(12);
    pseudo.set(src, 0);
    pseudo.set(dst, 4);
    pseudo[9] = protocol;
    new DataView(pseudo.buffer).setUint16(10, transport.length);
  } else if (version === 6) {
    if (view.getUint16(4) !== data.length - 40) throw new Error('IPv6 payload length differs from the packet');
    protocol = data[6];
    src = data.subarray(8, 24);
    dst = data.subarray(24, 40);
    transport = data.subarray(40);
    pseudo = new Uint8Array(40);
    pseudo.set(src, 0);
    pseudo.set(dst, 16);
    new DataView(pseudo.buffer).setUint32(32, transport.length);
    pseudo[39] = protocol;
  } else {
    throw new Error(`IP version ${version}`);
  }
  if (checksum([pseudo, transport]) !== 0) throw new Error(`bad ${protocol === 6 ? 'TCP' : 'UDP'} checksum`);
  const tv = new DataView(transport.buffer, transport.byteOffset, transport.length);
  const base = {
    version: version as 4 | 6,
    src: formatAddress(src),
    dst: formatAddress(dst),
    ipId,
    protocol,
    srcPort: tv.getUint16(0),
    dstPort: tv.getUint16(2),
  };
  if (protocol === 17) {
    if (tv.getUint16(4) !== transport.length) throw new Error('UDP length differs from the datagram');
    return { ...base, seq: 0, ack: 0, flags: 0, window: 0, payload: transport.slice(8) };
  }
  const headerLength = (transport[12] >> 4) * 4;
  let mss: number | undefined;
  for (let i = 20; i < headerLength; ) {
    const kind = transport[i];
    if (kind === 0) break;
    if (kind === 1) {
      i++;
      continue;
    }
    if (kind === 2) mss = tv.getUint16(i + 2);
    i += transport[i + 1];
  }
  return {
    ...base,
    seq: tv.getUint32(4),
    ack: tv.getUint32(8),
    flags: transport[13],
    window: tv.getUint16(14),
    mss,
    payload: transport.slice(headerLength),
  };
}
