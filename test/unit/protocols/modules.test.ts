import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Direction, MessageRole, Transport } from '../../../src/shared/capture';
import { bytesToLatin1, utf8ToBytes } from '../../../src/protocols/core/bytes';
import type { FieldNode } from '../../../src/protocols/core/field';
import { RequestPairer } from '../../../src/protocols/core/pairing';
import { parseRfcReference } from '../../../src/protocols/core/rfc';
import { EchoTcpEngine } from '../../../src/protocols/echo';
import { getProtocol, hasProtocol, listProtocols } from '../../../src/protocols/registry';
import { rawProtocol } from '../../../src/protocols/raw';
import { kept } from '../../support/framed';

const SRC = fileURLToPath(new URL('../../../src/protocols', import.meta.url));

/** A small deterministic generator, so a failing input can be reproduced. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomMessage(next: () => number): Uint8Array {
  const alphabet = [0x0d, 0x0a, 0x00, 0x41, 0x7a, 0x20, 0xc3, 0xa9, 0xff, 0x22, 0x5c];
  const bytes = new Uint8Array(Math.floor(next() * 40));
  for (let i = 0; i < bytes.length; i++) bytes[i] = alphabet[Math.floor(next() * alphabet.length)];
  return bytes;
}

/** Every way a tree breaks the rules: unregistered field, range outside the message or parent. */
function rangeProblems(nodes: readonly FieldNode[], lo: number, hi: number, ids: Set<string>, out: string[] = []): string[] {
  for (const n of nodes) {
    if (!ids.has(n.id)) out.push(`${n.id} is not registered`);
    if (n.offset < lo || n.offset + n.length > hi) out.push(`${n.id} [${n.offset}, +${n.length}) is outside [${lo}, ${hi})`);
    if (n.display.length === 0) out.push(`${n.id} has no display text`);
    if (n.children) rangeProblems(n.children, n.offset, n.offset + n.length, ids, out);
  }
  return out;
}

describe('registry', () => {
  it('lists each module once, raw last', () => {
    const ids = listProtocols().map((m) => m.id);
    expect(ids).toEqual(['echo', 'discard', 'daytime', 'http', 'dns', 'raw']);
    for (const id of ids) expect(getProtocol(id).id).toBe(id);
  });

  it('falls back to raw for an unknown id', () => {
    expect(getProtocol('gopher')).toBe(rawProtocol);
    expect(getProtocol('')).toBe(rawProtocol);
    expect(hasProtocol('gopher')).toBe(false);
    expect(hasProtocol('echo')).toBe(true);
  });
});

describe.each(listProtocols().map((m) => [m.id, m] as const))('module %s', (_id, module) => {
  const ids = new Set(Object.keys(module.fields));

  it('registers fields whose ids match their keys, with a blurb and a readable RFC reference', () => {
    expect(parseRfcReference(module.rfc)).not.toBeNull();
    for (const [key, def] of Object.entries(module.fields)) {
      expect(def.id).toBe(key);
      expect(key === module.id || key.startsWith(`${module.id}.`)).toBe(true);
      expect(def.blurb.length).toBeGreaterThan(20);
      if (def.rfc !== undefined) expect(parseRfcReference(def.rfc), `${key}: ${def.rfc}`).not.toBeNull();
    }
  });

  const contexts: Array<{ transport: Transport; dir: Direction; role: MessageRole; partial: boolean }> = [];
  for (const transport of ['tcp', 'udp'] as const)
    for (const dir of ['c2s', 's2c'] as const)
      for (const role of ['request', 'response', 'other'] as const)
        for (const partial of [false, true]) contexts.push({ transport, dir, role, partial });

  it('dissects any bytes into registered fields that stay inside the message and their parent', () => {
    const next = prng(0x5eed);
    for (let round = 0; round < 60; round++) {
      const bytes = randomMessage(next);
      for (const ctx of contexts) {
        const problems = rangeProblems(module.dissect(bytes, ctx), 0, bytes.length, ids);
        expect(problems, `input ${Array.from(bytes).join(',')} in ${JSON.stringify(ctx)}`).toEqual([]);
      }
    }
  });

  it('dissects every framed message of a stream into nodes that cover it', () => {
    for (const transport of ['tcp', 'udp'] as const) {
      const framer = module.createFramer({ transport });
      const messages = [
        ...kept(framer.push('c2s', utf8ToBytes('hello\r\nbare\n'), 0)),
        ...kept(framer.push('s2c', utf8ToBytes('reply\r\n'), 1)),
        ...kept(framer.push('c2s', utf8ToBytes('cut'), 2)),
        ...kept(framer.end('c2s')),
      ];
      for (const m of messages) {
        const tree = module.dissect(m.bytes, { dir: m.dir, role: m.role, transport, partial: m.partial });
        expect(tree.length).toBeGreaterThan(0);
        const covered = tree.reduce((sum, n) => sum + n.length, 0);
        expect(covered).toBe(m.bytes.length);
      }
    }
  });

  it('explains every kind of message in plain words', () => {
    for (const ctx of contexts) {
      const e = module.explain?.(utf8ToBytes('x\r\n'), ctx);
      expect(e?.title.length).toBeGreaterThan(3);
      expect(e?.text.length).toBeGreaterThan(40);
    }
  });
});

describe('echo end to end, without sockets', () => {
  it('engine replies framed by the echo framer pair up with the lines that caused them', () => {
    const engine = new EchoTcpEngine();
    const framer = getProtocol('echo').createFramer({ transport: 'tcp' });
    const pairer = new RequestPairer();
    const pairs: Array<[string, string]> = [];
    const log: Array<{ id: number; text: string }> = [];
    const record = (ms: ReturnType<typeof framer.push>) => {
      for (const m of ms) {
        const id = log.length + 1;
        log.push({ id, text: bytesToLatin1(m.bytes) });
        const pair = pairer.add(id, m.role);
        if (pair) pairs.push([log[pair[0] - 1].text, log[pair[1] - 1].text]);
      }
    };
    // The client types two lines, the second split over two segments; echo answers chunk by chunk.
    for (const [i, chunk] of ['one\r\ntw', 'o\r\n'].entries()) {
      const bytes = utf8ToBytes(chunk);
      record(framer.push('c2s', bytes, i));
      for (const reply of engine.receive(bytes).send) record(framer.push('s2c', reply, i));
    }
    expect(pairs).toEqual([
      ['one\r\n', 'one\r\n'],
      ['two\r\n', 'two\r\n'],
    ]);
    expect(engine.peerEnded().close).toBe(true);
  });
});

describe('purity of src/protocols', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  walk(SRC);

  it.each(files.map((f) => [path.relative(SRC, f), f]))('%s uses no Node built-in, Buffer, or code outside protocols/shared', (_rel, file) => {
    const source = readFileSync(file, 'utf8');
    // Comments may talk about Buffer (to say why it is avoided); code may not use it.
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    expect(source).not.toMatch(/from ['"]node:/);
    expect(code).not.toMatch(/\bBuffer\b/);
    expect(code).not.toMatch(/\brequire\(/);
    for (const m of source.matchAll(/from ['"](\.[^'"]*)['"]/g)) {
      const target = path.resolve(path.dirname(file), m[1]);
      const inside = target.startsWith(SRC) || target.startsWith(path.resolve(SRC, '../shared'));
      expect(inside, `${m[1]} stays inside src/protocols or src/shared`).toBe(true);
    }
    for (const m of source.matchAll(/from ['"]([^.'"][^'"]*)['"]/g)) {
      expect.fail(`imports package ${m[1]}`);
    }
  });
});
