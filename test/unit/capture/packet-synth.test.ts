import { describe, expect, it } from 'vitest';
import {
  buildIpPacket,
  buildTcpPacket,
  buildUdpDatagram,
  buildUdpPacket,
  internetChecksum,
  IP_PROTOCOL_UDP,
  IPV4_MAX_PACKET_BYTES,
  IPV4_HEADER_BYTES,
  maxUdpPayload,
  parseIpAddress,
  TCP_ACK,
  TCP_PSH,
  UDP_HEADER_BYTES,
} from '../../../src/main/lab/capture/packet-synth';
import { decodePacket } from './support/pcapng-parse';

const gaia = parseIpAddress('128.119.245.12')!;
const client = parseIpAddress('192.168.1.10')!;

describe('parseIpAddress', () => {
  it('reads dotted-quad IPv4', () => {
    expect([...gaia]).toEqual([128, 119, 245, 12]);
    expect(parseIpAddress('256.1.1.1')).toBeNull();
    expect(parseIpAddress('1.2.3')).toBeNull();
    expect(parseIpAddress('1.2.3.-4')).toBeNull();
    expect(parseIpAddress('gaia.cs.umass.edu')).toBeNull();
  });

  it('reads the RFC 4291 §2.2 IPv6 text forms', () => {
    expect([...parseIpAddress('::1')!]).toEqual([...new Array(15).fill(0), 1]);
    expect([...parseIpAddress('::')!]).toEqual(new Array(16).fill(0));
    expect([...parseIpAddress('2001:db8::8:800:200c:417a')!]).toEqual([
      0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0x08, 0x08, 0, 0x20, 0x0c, 0x41, 0x7a,
    ]);
    expect([...parseIpAddress('::ffff:128.119.245.12')!].slice(10)).toEqual([0xff, 0xff, 128, 119, 245, 12]);
    expect(parseIpAddress('fe80::1%lo')).not.toBeNull();
    expect(parseIpAddress('[::1]')).not.toBeNull();
    expect(parseIpAddress('1:2:3:4:5:6:7:8')).not.toBeNull();
    expect(parseIpAddress('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIpAddress('1:2:3:4:5:6:7::8')).toBeNull(); // '::' must stand for at least one group
    expect(parseIpAddress('1::2::3')).toBeNull();
    expect(parseIpAddress('12345::')).toBeNull();
  });
});

describe('internetChecksum (RFC 1071)', () => {
  it('matches the RFC 1071 §3 worked example', () => {
    // Words 0001 f203 f4f5 f6f7 sum to ddf2 (with end-around carry); the checksum is its complement.
    expect(internetChecksum(new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]))).toBe(0x220d);
  });

  it('pads an odd trailing byte with zero', () => {
    expect(internetChecksum(new Uint8Array([0x12]))).toBe(~0x1200 & 0xffff);
  });

  it('produces an IPv4 header that sums to zero', () => {
    const pkt = buildIpPacket({ src: client, dst: gaia, id: 0x1c46 }, IP_PROTOCOL_UDP, new Uint8Array(8));
    expect(internetChecksum(pkt.subarray(0, IPV4_HEADER_BYTES))).toBe(0);
  });
});

describe('TCP and UDP synthesis', () => {
  it('builds a TCP segment whose fields and checksum a decoder accepts', () => {
    const payload = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
    const pkt = buildTcpPacket(
      { src: client, dst: gaia, id: 7 },
      { srcPort: 49152, dstPort: 80, seq: 0xfffffff0, ack: 12345, flags: TCP_PSH | TCP_ACK, window: 65535, payload },
    );
    const d = decodePacket(pkt);
    expect(d).toMatchObject({ version: 4, src: '192.168.1.10', dst: '128.119.245.12', ipId: 7, srcPort: 49152, dstPort: 80 });
    expect(d.seq).toBe(0xfffffff0);
    expect(d.ack).toBe(12345);
    expect(d.flags).toBe(TCP_PSH | TCP_ACK);
    expect(d.payload).toEqual(payload);
  });

  it('sends a computed UDP checksum of zero as all ones (RFC 768)', () => {
    // Find a two-byte payload whose checksum computes to zero, then check the field.
    const ip = { src: client, dst: gaia };
    const header = buildUdpDatagram(ip, { srcPort: 1, dstPort: 53, payload: new Uint8Array([0, 0]) });
    const base = new DataView(header.buffer).getUint16(6);
    // With payload word w the sum's complement drops by w; choosing w = base makes it 0.
    const payload = new Uint8Array([base >> 8, base & 0xff]);
    const dgram = buildUdpDatagram(ip, { srcPort: 1, dstPort: 53, payload });
    expect(new DataView(dgram.buffer).getUint16(6)).toBe(0xffff);
    expect(() => decodePacket(buildUdpPacket({ ...ip, id: 1 }, { srcPort: 1, dstPort: 53, payload }))).not.toThrow();
  });

  it('builds IPv6 packets with valid transport checksums', () => {
    const lo = parseIpAddress('::1')!;
    const d = decodePacket(buildUdpPacket({ src: lo, dst: lo, id: 0 }, { srcPort: 5000, dstPort: 53, payload: new Uint8Array([1, 2, 3]) }));
    expect(d.version).toBe(6);
    expect([...d.payload]).toEqual([1, 2, 3]);
  });

  it('refuses an IPv4 packet over IPV4_MAX_PACKET_BYTES and a UDP datagram over the 16-bit length', () => {
    const fits = IPV4_MAX_PACKET_BYTES - IPV4_HEADER_BYTES;
    expect(buildIpPacket({ src: client, dst: gaia, id: 1 }, IP_PROTOCOL_UDP, new Uint8Array(fits)).length).toBe(IPV4_MAX_PACKET_BYTES);
    expect(() => buildIpPacket({ src: client, dst: gaia, id: 1 }, IP_PROTOCOL_UDP, new Uint8Array(fits + 1))).toThrow(/RFC 791/);
    const lo = parseIpAddress('::1')!;
    expect(() => buildUdpDatagram({ src: lo, dst: lo }, { srcPort: 1, dstPort: 2, payload: new Uint8Array(0x10000 - UDP_HEADER_BYTES) })).toThrow(
      /RFC 768/,
    );
    expect(maxUdpPayload(4)).toBe(65_507);
    expect(maxUdpPayload(16)).toBe(65_527);
  });

  it('refuses mixed IP versions in one packet', () => {
    expect(() => buildIpPacket({ src: client, dst: parseIpAddress('::1')!, id: 1 }, IP_PROTOCOL_UDP, new Uint8Array(8))).toThrow(
      /same IP version/,
    );
  });
});
