// A loaded message carries its connection as it was when it was loaded. Capture batches say when
// a connection changes (closed, reset), so the details pane need not wait for another click.

import type { ConnectionInfo, MessageDetail } from '../../shared/capture';

/** `detail` with its connection replaced by the newest one in `connections`; the same object when none applies. */
export function withConnectionUpdate(detail: MessageDetail, connections: readonly ConnectionInfo[]): MessageDetail {
  let latest: ConnectionInfo | undefined;
  for (const c of connections) if (c.id === detail.connId) latest = c;
  if (!latest) return detail;
  const current = detail.conn;
  const unchanged =
    current !== undefined &&
    latest.state === current.state &&
    latest.closedAt === current.closedAt &&
    latest.closedBy === current.closedBy &&
    latest.protocol === current.protocol &&
    latest.serviceId === current.serviceId;
  return unchanged ? detail : { ...detail, conn: latest };
}
