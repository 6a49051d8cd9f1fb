// Turns a MessageDetail from the core into what the details and bytes panes show: the bytes, the
// protocol module's tree, its field table and plain-language explanation. Dissectors see bytes
// from the network, so a dissector that throws becomes an error line, never a broken page.

import type { MessageDetail } from '../../shared/capture';
import { base64ToBytes } from '../../protocols/core/bytes';
import type { Explanation } from '../../protocols/core/explain';
import type { FieldNode, FieldTable } from '../../protocols/core/field';
import type { DissectContext, ProtocolModule } from '../../protocols/registry-types';

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

export function dissectionContext(
  detail: Pick<MessageDetail, 'dir' | 'role' | 'transport' | 'partial'> & Partial<Pick<MessageDetail, 'id' | 't'>>,
  paired?: Pick<MessageDetail, 'id' | 't' | 'bytes'> | null,
): DissectContext {
  const ctx: DissectContext = { dir: detail.dir, role: detail.role, transport: detail.transport };
  if (detail.id !== undefined) ctx.id = detail.id;
  if (detail.t !== undefined) ctx.t = detail.t;
  if (detail.partial) ctx.partial = true;
  // The request a response answers (or the response a request got) lets the dissector show
  // "response to #n", the time between them, and check a HEAD response's length.
  if (paired) ctx.pairedWith = { id: paired.id, t: paired.t, bytes: base64ToBytes(paired.bytes) };
  return ctx;
}

/** The id of the message this one is paired with: the request it answers, or the response it got. */
export function pairedMessageId(detail: Pick<MessageDetail, 'responseTo' | 'answeredBy'>): number | undefined {
  return detail.responseTo ?? detail.answeredBy;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function dissectMessage(detail: MessageDetail, lookup: (id: string) => ProtocolModule, paired?: MessageDetail | null): Dissection {
  const bytes = base64ToBytes(detail.bytes);
  let module: ProtocolModule;
  try {
    module = lookup(detail.protocol);
  } catch (err) {
    return { bytes, nodes: [], fields: {}, protocolTitle: detail.protocol, error: `no dissector for '${detail.protocol}': ${errorText(err)}` };
  }
  const protocolTitle = `${module.title} (${module.rfc})`;
  const ctx = dissectionContext(detail, paired);
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
