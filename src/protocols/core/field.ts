// The dissection tree, modelled on Wireshark's epan: every node covers a byte range of the message
// (offset, length) and names a field registered once in a protocol's field table.

export type ExpertSeverity = 'note' | 'warn' | 'error';

export interface ExpertInfo {
  severity: ExpertSeverity;
  message: string;
}

/** A field definition, registered once per protocol (Wireshark's `hf_` entries). */
export interface FieldDef {
  /** Filter-style id, e.g. `smtp.req.command`. */
  id: string;
  /** Short display name, e.g. `Command`. */
  name: string;
  /** Where the field is defined, e.g. `RFC 5321 §4.1.1`. */
  rfc?: string;
  /** One or two sentences saying what the field is for, in the lab's own words. */
  blurb: string;
}

export type FieldValue = string | number | boolean;

export interface FieldNode {
  /** The FieldDef id. */
  id: string;
  offset: number;
  length: number;
  value?: FieldValue;
  /** The line the details tree shows, e.g. `Command: MAIL`. */
  display: string;
  children?: FieldNode[];
  /** Computed rather than read from the bytes (e.g. "response to #12"); offset/length may be 0. */
  generated?: boolean;
  expert?: ExpertInfo;
}

export type FieldTable = Readonly<Record<string, FieldDef>>;

/** Declares a protocol's fields; the id doubles as the key so lookups are typed by the table. */
export function defineFields<T extends Record<string, Omit<FieldDef, 'id'>>>(
  table: T,
): { readonly [K in keyof T]: FieldDef } {
  const out: Record<string, FieldDef> = {};
  for (const [id, def] of Object.entries(table)) out[id] = { id, ...def };
  return out as { readonly [K in keyof T]: FieldDef };
}

/** Builds a node for a registered field. */
export function field(
  def: FieldDef,
  offset: number,
  length: number,
  value: FieldValue | undefined,
  display?: string,
  extra: Partial<Pick<FieldNode, 'children' | 'generated' | 'expert'>> = {},
): FieldNode {
  const shown = display ?? (value === undefined ? def.name : `${def.name}: ${String(value)}`);
  const node: FieldNode = { id: def.id, offset, length, display: shown };
  if (value !== undefined) node.value = value;
  if (extra.children && extra.children.length > 0) node.children = extra.children;
  if (extra.generated) node.generated = true;
  if (extra.expert) node.expert = extra.expert;
  return node;
}

/** Walks a tree depth-first, parents before children. */
export function* walkFields(nodes: readonly FieldNode[], depth = 0): Generator<[FieldNode, number]> {
  for (const n of nodes) {
    yield [n, depth];
    if (n.children) yield* walkFields(n.children, depth + 1);
  }
}
