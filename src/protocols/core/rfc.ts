// References like `RFC 5321 §4.1.1` are kept as plain strings in field tables and reply tables;
// this reads them back so the UI can show the document and section apart (or find a local copy).

export interface RfcReference {
  rfc: number;
  /** Section number, e.g. `4.1.1`; undefined for the whole document. */
  section?: string;
}

const RFC_REFERENCE = /^RFC\s*(\d{1,5})(?:\s*§\s*([0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*))?$/;

/** Parses `RFC 862` or `RFC 5321 §4.1.1`; returns null for anything else. */
export function parseRfcReference(text: string): RfcReference | null {
  const m = RFC_REFERENCE.exec(text.trim());
  if (!m) return null;
  const rfc = Number(m[1]);
  if (rfc < 1) return null;
  return m[2] === undefined ? { rfc } : { rfc, section: m[2] };
}

export function formatRfcReference(ref: RfcReference): string {
  return ref.section === undefined ? `RFC ${ref.rfc}` : `RFC ${ref.rfc} §${ref.section}`;
}
