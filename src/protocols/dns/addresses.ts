// IP addresses as A and AAAA records carry them (4 and 16 octets), in text and back, and the
// reverse-mapping names that PTR lookups ask for (in-addr.arpa, RFC 1035 §3.5; ip6.arpa,
// RFC 3596 §2.5).

const IPV4_OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** `128.119.245.12` as its 4 octets, or null. */
export function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => IPV4_OCTET.test(p))) return null;
  return Uint8Array.from(parts.map(Number));
}

export function formatIPv4(bytes: Uint8Array, start = 0): string {
  return `${bytes[start]}.${bytes[start + 1]}.${bytes[start + 2]}.${bytes[start + 3]}`;
}

/** An IPv6 address in any RFC 4291 §2.2 text form (with `::`, or an embedded IPv4 tail) as 16 octets, or null. */
export function parseIPv6(text: string): Uint8Array | null {
  if (text.length === 0 || text.length > 45) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (!v4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return null;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

/** 16 octets in the RFC 5952 §4 form: lower case, no leading zeros, the longest run of zero groups (two or more) as `::`. */
export function formatIPv6(bytes: Uint8Array, start = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((bytes[start + i * 2] << 8) | bytes[start + i * 2 + 1]);
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestLength < 2) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/**
 * The name a PTR lookup asks for: `201.128.123.130.in-addr.arpa.` for 130.123.128.201, or the
 * nibble form under ip6.arpa for an IPv6 address. Null when the text is neither.
 */
export function reverseName(address: string): string | null {
  const v4 = parseIPv4(address);
  if (v4) return `${Array.from(v4).reverse().join('.')}.in-addr.arpa.`;
  const v6 = parseIPv6(address);
  if (!v6) return null;
  const nibbles: string[] = [];
  for (const b of v6) nibbles.push((b >> 4).toString(16), (b & 0xf).toString(16));
  return `${nibbles.reverse().join('.')}.ip6.arpa.`;
}
