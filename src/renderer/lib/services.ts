// Ordering and wording for the servers panel.

import type { ServiceInfo } from '../../shared/lab-api';

/** By host name, then world port, then transport (echo/tcp before echo/udp). */
export function sortServices(services: readonly ServiceInfo[]): ServiceInfo[] {
  return [...services].sort(
    (a, b) => a.hostname.localeCompare(b.hostname) || a.wellKnownPort - b.wellKnownPort || a.transport.localeCompare(b.transport),
  );
}

export function connectionCountText(s: Pick<ServiceInfo, 'connections' | 'transport'>): string {
  const noun = s.transport === 'udp' ? 'peer' : 'connection';
  return `${s.connections} ${noun}${s.connections === 1 ? '' : 's'}`;
}
