// A port number as typed in a command (open, dig -p, nslookup -port=): 1 to 65535, digits only.

import { MAX_PORT } from '../../world/world';

export { MAX_PORT };

/** The port, or null when the text is not a port number a client can connect to (port 0 cannot, RFC 9293 §3.1). */
export function portFromText(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= MAX_PORT ? port : null;
}
