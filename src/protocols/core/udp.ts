// UDP limits shared by every datagram service.

/**
 * Largest UDP payload over IPv4: the IPv4 total length is a 16-bit field (RFC 791 §3.1), so at
 * most 65535 bytes, minus the 20-byte IPv4 header without options and the 8-byte UDP header
 * (RFC 768). The lab's services listen on 127.0.0.1, so this is the one that applies.
 */
export const UDP_MAX_PAYLOAD_IPV4 = 65535 - 20 - 8;
