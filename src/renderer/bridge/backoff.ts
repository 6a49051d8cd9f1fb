// Reconnect delays for the WebSocket bridge: doubling from RECONNECT_BASE_MS up to
// RECONNECT_MAX_MS. No jitter: there is one client per page and one core on the same machine, so
// there is no herd of clients to spread out.

export const RECONNECT_BASE_MS = 250;
export const RECONNECT_MAX_MS = 5000;

/** Delay before attempt number `attempt` (0 = the first retry after a drop). */
export function reconnectDelay(attempt: number, base = RECONNECT_BASE_MS, max = RECONNECT_MAX_MS): number {
  if (!Number.isFinite(attempt) || attempt <= 0) return base;
  // 2^attempt overflows to Infinity for large attempts; min() still lands on max.
  return Math.min(max, base * 2 ** attempt);
}
