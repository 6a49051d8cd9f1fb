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

/**
 * A command the student can type to make traffic, from a server that is listening right now:
 * echo first (whatever is typed comes back, so both directions show up), else any TCP server.
 */
export function connectCommand(services: readonly ServiceInfo[]): string | null {
  const tcp = sortServices(services).filter((s) => s.state === 'listening' && s.transport === 'tcp');
  const pick = tcp.find((s) => s.protocol === 'echo') ?? tcp[0];
  return pick ? `open ${pick.hostname} ${pick.wellKnownPort}` : null;
}

/** What the empty packet list says. */
export function emptyCaptureHint(services: readonly ServiceInfo[]): string {
  const command = connectCommand(services);
  return command
    ? `No messages yet — open a connection in the terminal, e.g. ${command}, and type a line.`
    : 'No messages yet — start a server in the Servers panel, then open a connection to it in the terminal.';
}
