import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../../src/shared/capture';
import { directionLabel, formatByteCount, formatHostPort, formatRealEndpoint, formatSeconds, formatWorldEndpoint, NO_REPLY_MARKER, pairingMarker } from '../../../src/renderer/lib/format';

describe('format', () => {
  it('shows capture time in seconds with three decimals', () => {
    expect(formatSeconds(0)).toBe('0.000');
    expect(formatSeconds(1234.56)).toBe('1.235');
    expect(formatSeconds(7)).toBe('0.007');
    expect(formatSeconds(Number.NaN)).toBe('');
  });

  it('shows byte counts in binary units', () => {
    expect(formatByteCount(0)).toBe('0 B');
    expect(formatByteCount(1023)).toBe('1023 B');
    expect(formatByteCount(1024)).toBe('1.0 KiB');
    expect(formatByteCount(1536)).toBe('1.5 KiB');
    expect(formatByteCount(5 * 1024 * 1024)).toBe('5.0 MiB');
    expect(formatByteCount(-1)).toBe('');
  });

  it('marks a request with its answer and a response with its request', () => {
    expect(pairingMarker({ answeredBy: 12 })).toBe('→ #12');
    expect(pairingMarker({ responseTo: 11 })).toBe('← #11');
    expect(pairingMarker({})).toBe('');
    // No response came before the connection ended; one that did wins.
    expect(pairingMarker({ noReply: true })).toBe(NO_REPLY_MARKER);
    expect(pairingMarker({ answeredBy: 12, noReply: true })).toBe('→ #12');
    expect(NO_REPLY_MARKER.length).toBeLessThanOrEqual('→ #1'.length);
  });

  it('names endpoints in the world and on loopback', () => {
    const server: Endpoint = { address: '127.0.0.1', port: 10007, virtualAddress: '128.119.245.12', virtualPort: 7, hostname: 'gaia.cs.umass.edu' };
    expect(formatWorldEndpoint(server)).toBe('gaia.cs.umass.edu (128.119.245.12):7');
    expect(formatWorldEndpoint({ ...server, hostname: undefined })).toBe('128.119.245.12:7');
    expect(formatRealEndpoint(server)).toBe('127.0.0.1:10007');
    expect(formatHostPort('::1', 10007)).toBe('[::1]:10007');
    expect(directionLabel('c2s')).toBe('client → server');
    expect(directionLabel('s2c')).toBe('server → client');
  });
});
