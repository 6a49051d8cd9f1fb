// The frame-like node above the protocol tree (Wireshark's "Frame" and "Transmission Control
// Protocol" summary in one): which connection, which way, when, how long, and its pair.

import type { ConnectionInfo, MessageDetail, MessageSummary } from '../../shared/capture';
import { directionLabel, formatByteCount, formatRealEndpoint, formatSeconds, formatWorldEndpoint } from './format';

export interface FrameLine {
  label: string;
  value: string;
  /** A message this line points to; the pane makes it a link that selects it. */
  linkTo?: number;
  warn?: boolean;
}

export function frameTitle(d: MessageDetail): string {
  return `Message #${d.id}: ${d.length} byte${d.length === 1 ? '' : 's'}, ${d.transport.toUpperCase()} ${directionLabel(d.dir)}`;
}

/**
 * How a UDP flow ended. UDP has no connection: nothing is sent to end one, so the capture only
 * stops grouping the datagrams of the two ports (the client closed its socket, the flow went
 * idle, or its service stopped).
 */
function udpEndLines(c: ConnectionInfo): FrameLine[] {
  const when = c.closedAt !== undefined ? ` at ${formatSeconds(c.closedAt)} s` : '';
  const why =
    c.state === 'reset' && c.closeReason
      ? `: ${c.closeReason}`
      : c.closedBy === 'client'
        ? `, when the client (${formatWorldEndpoint(c.client)}) closed its socket`
        : '';
  return [{ label: 'Flow ended', value: `the lab stopped tracking this UDP exchange${when}${why} (UDP has no connection to close)` }];
}

/** How the connection ended, in the course's words: who sent the first FIN, or the RST, and when. */
function endLines(d: MessageDetail): FrameLine[] {
  const c = d.conn;
  if (!c || c.state === 'open') return [];
  if (c.transport === 'udp') return udpEndLines(c);
  if (!c.closedBy) return [];
  const who = c.closedBy === 'server' ? formatWorldEndpoint(c.server) : formatWorldEndpoint(c.client);
  const when = c.closedAt !== undefined ? ` at ${formatSeconds(c.closedAt)} s` : '';
  if (c.state === 'reset') {
    return [{ label: 'Ended', value: `reset by the ${c.closedBy} (${who}) with RST${when}${c.closeReason ? `: ${c.closeReason}` : ''}`, warn: true }];
  }
  return [{ label: 'Closed', value: `by the ${c.closedBy} (${who}), which sent the first FIN${when}` }];
}

/** `open`/`closed`/`reset` for TCP; a UDP flow is only `active` or `ended`, since nothing opens or closes it. */
function stateWord(c: ConnectionInfo): string {
  if (c.transport === 'udp') return c.state === 'open' ? 'active' : 'ended';
  return c.state;
}

export function frameLines(d: MessageDetail): FrameLine[] {
  const c = d.conn;
  const lines: FrameLine[] = c
    ? [
        { label: 'Connection', value: `#${c.id} ${c.transport.toUpperCase()} ${c.protocol}, ${stateWord(c)}${c.serviceId ? `, service ${c.serviceId}` : ''}` },
        { label: 'Client', value: `${formatWorldEndpoint(c.client)}  (really ${formatRealEndpoint(c.client)})` },
        { label: 'Server', value: `${formatWorldEndpoint(c.server)}  (really ${formatRealEndpoint(c.server)})` },
        ...endLines(d),
      ]
    : [{ label: 'Connection', value: `#${d.connId} (closed long ago; its endpoints are no longer held in memory)` }];
  lines.push(
    { label: 'Direction', value: `${directionLabel(d.dir)} (${d.source} → ${d.destination})` },
    { label: 'Time', value: `${formatSeconds(d.t)} s since the capture started` },
    { label: 'Length', value: d.length < 1024 ? `${d.length} bytes` : `${d.length} bytes (${formatByteCount(d.length)})` },
    { label: 'Protocol', value: `${d.protocol}, ${d.role}` },
  );
  if (d.responseTo !== undefined) lines.push({ label: 'Response to', value: `#${d.responseTo}`, linkTo: d.responseTo });
  if (d.answeredBy !== undefined) lines.push({ label: 'Answered by', value: `#${d.answeredBy}`, linkTo: d.answeredBy });
  else if (d.noReply) lines.push({ label: 'Answered by', value: 'none (the connection ended before a response came)', warn: true });
  if (d.partial) lines.push({ label: 'Partial', value: 'the connection ended before this message was complete', warn: true });
  return lines;
}

/**
 * The detail as loaded, with the pairing its row in the list learned since (its answer, or that
 * none came): the row of the same message only, since a new selection shows its row before its detail.
 */
export function withLivePairing(detail: MessageDetail, live: MessageSummary | undefined): MessageDetail {
  if (!live || live.id !== detail.id || detail.answeredBy !== undefined) return detail;
  if (live.answeredBy !== undefined) return { ...detail, answeredBy: live.answeredBy, noReply: undefined };
  return live.noReply && !detail.noReply ? { ...detail, noReply: true } : detail;
}
