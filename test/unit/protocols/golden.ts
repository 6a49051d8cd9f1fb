// Golden-test harness in the llhttp style: a dissection tree is rendered as a span log, one line
// per node (`off=0 len=5 echo.data="hello"`, children indented two spaces), and every framer is fed
// the same input whole, byte by byte and followed by trailing data, which must frame identically.

import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Direction, Transport } from '../../../src/shared/capture';
import { escapeControl, utf8ToBytes, concatBytes } from '../../../src/protocols/core/bytes';
import type { FieldNode, FieldValue } from '../../../src/protocols/core/field';
import type { FramedMessage } from '../../../src/protocols/core/framing';
import type { ProtocolModule } from '../../../src/protocols/registry-types';
import { kept } from '../../support/framed';

/** String values longer than this are cut in span logs; `len=` still gives the exact size. */
export const SPAN_VALUE_MAX_CHARS = 120;

/** Appended after the input to check that data following it changes nothing before it. */
export const TRAILING_DATA = utf8ToBytes('TRAILING');

export function formatSpanValue(value: FieldValue): string {
  if (typeof value !== 'string') return String(value);
  const escaped = escapeControl(value.replace(/\\/g, '\\\\').replace(/"/g, '\\"'));
  const cut = escaped.length > SPAN_VALUE_MAX_CHARS ? `${escaped.slice(0, SPAN_VALUE_MAX_CHARS)}…` : escaped;
  return `"${cut}"`;
}

export function renderSpanLine(node: FieldNode, depth: number): string {
  let line = `${'  '.repeat(depth)}off=${node.offset} len=${node.length} ${node.id}`;
  line += node.value === undefined ? ` (${node.display})` : `=${formatSpanValue(node.value)}`;
  if (node.generated) line += ' generated';
  if (node.expert) line += ` expert=${node.expert.severity}:${formatSpanValue(node.expert.message)}`;
  return line;
}

/** The span log of a tree, one line per node, parents before children. */
export function renderSpans(nodes: readonly FieldNode[], depth = 0): string[] {
  const lines: string[] = [];
  for (const node of nodes) {
    lines.push(renderSpanLine(node, depth));
    if (node.children) lines.push(...renderSpans(node.children, depth + 1));
  }
  return lines;
}

/** A framed message without its time, which legitimately depends on how the bytes were fed. */
export interface FramedShape {
  dir: Direction;
  role: FramedMessage['role'];
  bytes: number[];
  summary: string;
  partial: boolean;
}

export function shapeOf(m: FramedMessage): FramedShape {
  return { dir: m.dir, role: m.role, bytes: Array.from(m.bytes), summary: m.summary, partial: m.partial === true };
}

/** Feeds `chunks` in one direction through a fresh framer; `end` flushes what is buffered. */
export function frame(
  module: ProtocolModule,
  transport: Transport,
  dir: Direction,
  chunks: readonly Uint8Array[],
  end: boolean,
): FramedMessage[] {
  const framer = module.createFramer({ transport });
  const out: FramedMessage[] = [];
  for (const chunk of chunks) out.push(...kept(framer.push(dir, chunk, 0)));
  if (end) out.push(...kept(framer.end(dir)));
  return out;
}

export function byteByByte(input: Uint8Array): Uint8Array[] {
  return Array.from(input, (_, i) => input.subarray(i, i + 1));
}

export interface FeedComparison {
  whole: FramedShape[];
  byteByByte: FramedShape[];
  /** Complete messages (no end) of input alone, and of input followed by TRAILING_DATA. */
  withoutTrailing: FramedShape[];
  withTrailing: FramedShape[];
  /** The bytes of every message framed from input + TRAILING_DATA, joined, after end(). */
  allBytesWithTrailing: Uint8Array;
}

/**
 * Frames a TCP stream whole, byte by byte, and followed by trailing data. A UDP input is one
 * datagram: there is no byte-by-byte feeding, and the trailing data is a second datagram.
 */
export function compareFeeds(module: ProtocolModule, transport: Transport, dir: Direction, input: Uint8Array): FeedComparison {
  const shapes = (ms: FramedMessage[]) => ms.map(shapeOf);
  const whole = frame(module, transport, dir, [input], true);
  const bytewise = transport === 'tcp' ? frame(module, transport, dir, byteByByte(input), true) : whole;
  const trailingChunks = transport === 'tcp' ? [concatBytes([input, TRAILING_DATA])] : [input, TRAILING_DATA];
  const withTrailingEnded = frame(module, transport, dir, trailingChunks, true);
  return {
    whole: shapes(whole),
    byteByByte: shapes(bytewise),
    withoutTrailing: shapes(frame(module, transport, dir, [input], false)),
    withTrailing: shapes(frame(module, transport, dir, trailingChunks, false)),
    allBytesWithTrailing: concatBytes(withTrailingEnded.map((m) => m.bytes)),
  };
}

/** The expected-output text of a golden case: each framed message, then its span log. */
export function renderGolden(module: ProtocolModule, transport: Transport, dir: Direction, input: Uint8Array): string {
  const messages = frame(module, transport, dir, [input], true);
  const out: string[] = [];
  messages.forEach((m, i) => {
    const flags = [m.role, ...(m.partial ? ['partial'] : [])].join(', ');
    out.push(`--- message ${i + 1} (${m.dir}, ${flags}): ${m.summary}`);
    out.push(...renderSpans(module.dissect(m.bytes, { dir: m.dir, role: m.role, transport, partial: m.partial })));
  });
  return `${out.join('\n')}\n`;
}

export interface GoldenCase {
  protocol: string;
  name: string;
  transport: Transport;
  dir: Direction;
  inputPath: string;
  spansPath: string;
}

const CASE_NAME = /^(tcp|udp)-(c2s|s2c)-[a-z0-9-]+$/;

/** Cases under `root/<protocol>/<transport>-<dir>-<name>.in`, each beside its `.spans`. */
export function listGoldenCases(root: string): GoldenCase[] {
  const cases: GoldenCase[] = [];
  for (const protocol of readdirSync(root).sort()) {
    const dir = path.join(root, protocol);
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.in')) continue;
      const name = file.slice(0, -'.in'.length);
      if (!CASE_NAME.test(name)) {
        throw new Error(`golden case ${protocol}/${file}: name must be <tcp|udp>-<c2s|s2c>-<name>.in`);
      }
      const [transport, direction] = name.split('-') as [Transport, Direction];
      cases.push({ protocol, name, transport, dir: direction, inputPath: path.join(dir, file), spansPath: path.join(dir, `${name}.spans`) });
    }
  }
  return cases;
}

export function readInput(c: GoldenCase): Uint8Array {
  return new Uint8Array(readFileSync(c.inputPath));
}

/** The stored expected span log, or null when the case has none yet. */
export function readExpected(c: GoldenCase): string | null {
  return existsSync(c.spansPath) ? readFileSync(c.spansPath, 'utf8') : null;
}

export function writeExpected(c: GoldenCase, text: string): void {
  writeFileSync(c.spansPath, text, 'utf8');
}
