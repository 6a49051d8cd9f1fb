// Every limit the DNS module enforces, with where its value comes from. Each one is crossed in the
// tests (test/unit/protocols/dns/).

/** Well-known DNS port, UDP and TCP (RFC 1035 §4.2). */
export const DNS_PORT = 53;

/** The fixed header: ID, flags and the four counts, two octets each (RFC 1035 §4.1.1). */
export const DNS_HEADER_LENGTH = 12;

/** A label is at most 63 octets: its length byte keeps the top two bits for pointers (RFC 1035 §2.3.4). */
export const DNS_MAX_LABEL = 63;

/** A name is at most 255 octets in wire form, length bytes and the root byte included (RFC 1035 §2.3.4). */
export const DNS_MAX_NAME = 255;

/**
 * Most compression pointers followed while reading one name. RFC 1035 §4.1.4 sets no number; a
 * name of at most 255 octets has at most 127 labels, and an honest encoder ends a name with one
 * pointer, so a longer chain of pointers to pointers can only be an attempt to make the reader work.
 */
export const DNS_MAX_POINTER_JUMPS = 127;

/** Largest DNS message over UDP without EDNS (RFC 1035 §2.3.4 and §4.2.1). */
export const DNS_UDP_MAX = 512;

/** Largest DNS message over TCP: the length prefix is 16 bits (RFC 1035 §4.2.2). */
export const DNS_TCP_MAX = 65535;

/** Bytes of the length prefix before each message on TCP (RFC 1035 §4.2.2, RFC 7766 §8). */
export const DNS_TCP_LENGTH_PREFIX = 2;

/**
 * The UDP payload size the lab's servers announce in their own OPT record and the most they send
 * to an EDNS client. 1232 octets fit in an IPv6 packet on a 1280-byte minimum MTU without
 * fragmentation: the value agreed on for DNS Flag Day 2020. Over loopback it only matters as a
 * lesson, since the OPT record is what a student sees.
 */
export const DNS_EDNS_SERVER_PAYLOAD = 1232;

/** Requestors announcing less than 512 octets are treated as 512 (RFC 6891 §6.2.5). */
export const DNS_EDNS_MIN_PAYLOAD = 512;

/** The only EDNS version there is; a higher one is answered BADVERS (RFC 6891 §6.1.3). */
export const DNS_EDNS_VERSION = 0;

/** Smallest question: the root name (1 octet), QTYPE and QCLASS (RFC 1035 §4.1.2). */
export const DNS_MIN_QUESTION = 1 + 4;

/** Smallest resource record: the root name and the 10 fixed octets TYPE..RDLENGTH (RFC 1035 §4.1.3). */
export const DNS_MIN_RECORD = 1 + 10;

/** A TTL is a 32-bit number, but values with the top bit set are read as 0 (RFC 2181 §8). */
export const DNS_MAX_TTL = 0x7fffffff;

/** A character-string (TXT) is one length octet and at most 255 octets of text (RFC 1035 §3.3). */
export const DNS_MAX_CHARACTER_STRING = 255;

/** RDLENGTH is a 16-bit count (RFC 1035 §4.1.3). */
export const DNS_MAX_RDLENGTH = 65535;

/**
 * Most CNAME records an authoritative server follows inside its zone for one answer. No RFC sets
 * a number; RFC 1034 §3.6.2 only asks that alias loops be detected. BIND and Unbound both stop
 * after a few (Unbound's max-query-restarts is 11); a chain this long is a mistake in the zone.
 */
export const DNS_MAX_CNAME_CHAIN = 8;
