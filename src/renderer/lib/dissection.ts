// Turns a MessageDetail from the core into what the details and bytes panes show: the bytes, the
// protocol module's tree, its field table and plain-language explanation. Dissectors see bytes
// from the network, so a dissector that throws becomes an error line, never a broken page.

import type { Endpoint, MessageDetail } from '../../shared/capture';
import type { WorldHostInfo } from '../../shared/lab-api';
import { base64ToBytes } from '../../protocols/core/bytes';
import type { Explanation } from '../../protocols/core/explain';
import type { FieldNode, FieldTable } from '../../protocols/core/field';
import type { DissectContext, MessagePeer, ProtocolModule } from '../../protocols/registry-types';

export interface Dissection {
  bytes: Uint8Array;
  nodes: FieldNode[];
  fields: FieldTable;
  /** e.g. `Echo (RFC 862)`. */
  protocolTitle: string;
  explanation?: Explanation;
  /** Why the tree is missing or incomplete. */
  error?: string;
}

const hostKey = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/**
 * One end of a connection as the breakdown names it. With the world's hosts known, a DNS server
 * gets its place in the hierarchy and any other world host is a client. An end that has a world
 * name but is not one of the world's hosts is the world's client host, the student's machine: the
 * core names a loopback peer that no lab client claimed after it (service-base.ts clientEndpoint).
 */
export function messagePeer(endpoint: Endpoint, hosts?: readonly WorldHostInfo[]): MessagePeer {
  const peer: MessagePeer = { address: endpoint.virtualAddress };
  const name = endpoint.hostname;
  if (name === undefined) return peer;
  peer.name = name;
  if (!hosts) return peer;
  const key = hostKey(name);
  const host = hosts.find((h) => hostKey(h.name) === key || h.aliases.some((a) => hostKey(a) === key));
  if (host) peer.role = host.dnsRole ?? 'client';
  else {
    peer.role = 'client';
    peer.studentMachine = true;
  }
  return peer;
}

/** Changes only when a host, its address or its DNS role does: the hook re-dissects on that, not on every snapshot. */
export function hostsSignature(hosts?: readonly WorldHostInfo[]): string {
  return hosts ? hosts.map((h) => `${h.name}=${h.address}/${h.dnsRole ?? ''}/${h.aliases.join(',')}`).join(' ') : '';
}

export function dissectionContext(
  detail: Pick<MessageDetail, 'dir' | 'role' | 'transport' | 'partial'> & Partial<Pick<MessageDetail, 'id' | 't' | 'conn'>>,
  paired?: Pick<MessageDetail, 'id' | 't' | 'bytes'> | null,
  hosts?: readonly WorldHostInfo[],
): DissectContext {
  const ctx: DissectContext = { dir: detail.dir, role: detail.role, transport: detail.transport };
  if (detail.id !== undefined) ctx.id = detail.id;
  if (detail.t !== undefined) ctx.t = detail.t;
  if (detail.partial) ctx.partial = true;
  // The request a response answers (or the response a request got) lets the dissector show
  // "response to #n", the time between them, and check a HEAD response's length.
  if (paired) ctx.pairedWith = { id: paired.id, t: paired.t, bytes: base64ToBytes(paired.bytes) };
  // Who sent it and to whom: the bytes went from the connection's client to its server (c2s) or back.
  if (detail.conn) {
    const [from, to] = detail.dir === 'c2s' ? [detail.conn.client, detail.conn.server] : [detail.conn.server, detail.conn.client];
    ctx.sender = messagePeer(from, hosts);
    ctx.receiver = messagePeer(to, hosts);
  }
  return ctx;
}

/** The id of the message this one is paired with: the request it answers, or the response it got. */
export function pairedMessageId(detail: Pick<MessageDetail, 'responseTo' | 'answeredBy'>): number | undefined {
  return detail.responseTo ?? detail.answeredBy;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function dissectMessage(detail: MessageDetail, lookup: (id: string) => ProtocolModule, paired?: MessageDetail | null, hosts?: readonly WorldHostInfo[]): Dissection {
  const bytes = base64ToBytes(detail.bytes);
  let module: ProtocolModule;
  try {
    module = lookup(detail.protocol);
  } catch (err) {
    return { bytes, nodes: [], fields: {}, protocolTitle: detail.protocol, error: `no dissector for '${detail.protocol}': ${errorText(err)}` };
  }
  const protocolTitle = `${module.title} (${module.rfc})`;
  const ctx = dissectionContext(detail, paired, hosts);
  const out: Dissection = { bytes, nodes: [], fields: module.fields, protocolTitle };
  try {
    out.nodes = module.dissect(bytes, ctx);
  } catch (err) {
    out.error = `the ${module.title} dissector failed on this message: ${errorText(err)}`;
  }
  if (module.explain) {
    try {
      out.explanation = module.explain(bytes, ctx);
    } catch (err) {
      out.error ??= `the ${module.title} explanation failed on this message: ${errorText(err)}`;
    }
  }
  return out;
}
