// The zone file language: the Monarch definition run through monaco's own Monarch compiler and
// lexer (the code the editor runs, loaded without the DOM parts of monaco), on hand-written lines
// and on every shipped zone file, checked against what the lab's parser reads from the same text.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DNS_TYPES, parseIPv4, parseTtl, parseZoneFile, readZoneManifest, typeCode } from '../../../src/protocols/dns';
import {
  ZONE_CLASSES,
  ZONE_LANGUAGE_CONFIGURATION,
  ZONE_LANGUAGE_ID,
  ZONE_MONARCH,
  ZONE_THEME,
  ZONE_THEME_BACKGROUND,
  ZONE_THEME_ID,
  ZONE_TOKEN_POSTFIX,
  registerZoneLanguage,
} from '../../../src/renderer/lib/zone-language';

const ZONES_DIR = fileURLToPath(new URL('../../../content/zones', import.meta.url));

// monaco's Monarch modules have no type declarations of their own; these are the parts used here.
interface MonarchState {
  readonly stack: { readonly state: string; readonly depth: number };
}
interface MonarchTokenizer {
  getInitialState(): MonarchState;
  tokenize(line: string, hasEOL: boolean, state: MonarchState): { tokens: Array<{ offset: number; type: string }>; endState: MonarchState };
}
type MonarchTokenizerClass = new (languageService: unknown, themeService: unknown, languageId: string, lexer: unknown, configurationService: unknown) => MonarchTokenizer;

// Paths inside monaco-editor (its package exports map `monaco-editor/*` to esm/vs/*.js).
const MONARCH_COMPILE = 'monaco-editor/editor/standalone/common/monarch/monarchCompile';
const MONARCH_LEXER = 'monaco-editor/editor/standalone/common/monarch/monarchLexer';

/** The longest line the editor tokenizes (monaco's editor.maxTokenizationLineLength default). */
const MAX_TOKENIZATION_LINE_LENGTH = 20_000;

let tokenizer: MonarchTokenizer;

beforeAll(async () => {
  const { compile } = (await import(/* @vite-ignore */ MONARCH_COMPILE)) as { compile(id: string, json: unknown): unknown };
  const { MonarchTokenizer: Tokenizer } = (await import(/* @vite-ignore */ MONARCH_LEXER)) as { MonarchTokenizer: MonarchTokenizerClass };
  const lexer = compile(ZONE_LANGUAGE_ID, ZONE_MONARCH);
  // The services are used only for embedded languages, encoded tokens and the line length limit.
  const languageService = { isRegisteredLanguageId: () => false, languageIdCodec: { encodeLanguageId: () => 0 } };
  const configurationService = { getValue: () => MAX_TOKENIZATION_LINE_LENGTH, onDidChangeConfiguration: () => ({ dispose() {} }) };
  tokenizer = new Tokenizer(languageService, {}, ZONE_LANGUAGE_ID, lexer, configurationService);
});

interface Tok {
  text: string;
  type: string;
  line: number;
  /** 1-based, as the parser counts. */
  column: number;
}

/** Every token of the text, white space left out, token types without the language postfix. */
function tokenize(text: string): { tokens: Tok[]; maxDepth: number; endState: string } {
  const lines = text.split(/\r?\n/);
  let state = tokenizer.getInitialState();
  let maxDepth = 0;
  const tokens: Tok[] = [];
  lines.forEach((line, i) => {
    const hasEOL = i < lines.length - 1;
    const r = tokenizer.tokenize(line, hasEOL, state);
    // The "\n" the rules see (includeLF) gets no token of its own: a line's tokens end at its length.
    r.tokens.forEach((t, k) => {
      const end = k + 1 < r.tokens.length ? r.tokens[k + 1].offset : line.length;
      if (!t.type.endsWith(ZONE_TOKEN_POSTFIX)) throw new Error(`token type ${t.type} lacks the language postfix`);
      const type = t.type.slice(0, -ZONE_TOKEN_POSTFIX.length);
      const piece = line.slice(t.offset, end);
      if (type === 'white' || piece.trim() === '') return;
      tokens.push({ text: piece, type, line: i + 1, column: t.offset + 1 });
    });
    state = r.endState;
    maxDepth = Math.max(maxDepth, state.stack.depth);
  });
  return { tokens, maxDepth, endState: state.stack.state };
}

/** `text:type` for each token of one piece of text, for compact expectations. */
function pairs(text: string): string[] {
  return tokenize(text).tokens.map((t) => `${t.text}:${t.type}`);
}

describe('the zone file tokenizer', () => {
  it('colours a record: owner, TTL, class, type and data', () => {
    expect(pairs('www 3600 IN A 128.119.8.148 ; the web server')).toEqual([
      'www:variable.owner',
      '3600:number.ttl',
      'IN:keyword.class',
      'A:type.record',
      '128.119.8.148:constant.address.ipv4',
      '; the web server:comment',
    ]);
    // TTL and class in either order (RFC 1035 §5.1).
    expect(pairs('mx IN 1h30m A 10.0.0.1')).toEqual(['mx:variable.owner', 'IN:keyword.class', '1h30m:number.ttl', 'A:type.record', '10.0.0.1:constant.address.ipv4']);
  });

  it('tells the origin, relative names and absolute names apart, as owners and as data', () => {
    expect(pairs('@ IN NS dns.cs.umass.edu.')).toEqual(['@:variable.owner.origin', 'IN:keyword.class', 'NS:type.record', 'dns.cs.umass.edu.:variable.name.absolute']);
    expect(pairs('gaia.cs.umass.edu. IN CNAME gaia')).toEqual(['gaia.cs.umass.edu.:variable.owner.absolute', 'IN:keyword.class', 'CNAME:type.record', 'gaia:variable.name']);
    expect(pairs('. IN MX 10 @')).toEqual(['.:variable.owner.absolute', 'IN:keyword.class', 'MX:type.record', '10:number', '@:variable.name.origin']);
    // A reverse-map owner is a name, not an address.
    expect(pairs('201.128 IN PTR proxy.massey.ac.nz.')).toEqual(['201.128:variable.owner', 'IN:keyword.class', 'PTR:type.record', 'proxy.massey.ac.nz.:variable.name.absolute']);
    // An escaped dot is inside a label; an escaped backslash before a dot is not (RFC 1035 §5.1).
    expect(pairs('a\\. IN A 10.0.0.1')[0]).toBe('a\\.:variable.owner');
    expect(pairs('a\\\\. IN A 10.0.0.1')[0]).toBe('a\\\\.:variable.owner.absolute');
  });

  it('reads data as data: a host called like a type is a name there', () => {
    expect(pairs('@ IN NS ns')).toEqual(['@:variable.owner.origin', 'IN:keyword.class', 'NS:type.record', 'ns:variable.name']);
    expect(pairs('a IN CNAME mx')).toEqual(['a:variable.owner', 'IN:keyword.class', 'CNAME:type.record', 'mx:variable.name']);
  });

  it('does not take the first word of an indented line for an owner (it repeats the one before)', () => {
    expect(pairs('    IN A 10.0.0.2')).toEqual(['IN:keyword.class', 'A:type.record', '10.0.0.2:constant.address.ipv4']);
    expect(pairs('\t60 MX 20 mail2')).toEqual(['60:number.ttl', 'MX:type.record', '20:number', 'mail2:variable.name']);
  });

  it('knows every type of DNS_TYPES in any case, and the generic TYPEnnn (RFC 3597 §5)', () => {
    for (const t of [...DNS_TYPES.map((x) => x.name), 'TYPE65280']) {
      for (const written of [t, t.toLowerCase()]) {
        expect(pairs(`x ${written} \\# 0`)).toEqual(['x:variable.owner', `${written}:type.record`, '\\#:keyword.generic', '0:number']);
      }
    }
  });

  it('knows the classes, and reads ANY as a type as the parser does', () => {
    expect(ZONE_CLASSES).toContain('IN');
    expect(ZONE_CLASSES).not.toContain('ANY');
    for (const c of [...ZONE_CLASSES, 'in', 'CLASS7']) expect(pairs(`x ${c} TXT "t"`)[1]).toBe(`${c}:keyword.class`);
    expect(pairs('x ANY')[1]).toBe('ANY:type.record');
  });

  it('colours a TTL exactly when the parser reads one', () => {
    for (const ttl of ['0', '3600', '1h', '1h30m', '2d', '1w2d3h4m5s', '1H', '1h30', 'h1', '1x', '30mm', '-5']) {
      const second = pairs(`x ${ttl} A 10.0.0.1`)[1];
      expect(second === `${ttl}:number.ttl`, `${ttl}: ${second}`).toBe(parseTtl(ttl) !== null);
    }
  });

  it('colours an IPv4 address exactly when parseIPv4 accepts it', () => {
    for (const a of ['128.119.245.12', '0.0.0.0', '255.255.255.255', '256.1.1.1', '1.2.3', '01.2.3.4', '1.2.3.4.5']) {
      const data = pairs(`x A ${a}`)[2];
      expect(data === `${a}:constant.address.ipv4`, `${a}: ${data}`).toBe(parseIPv4(a) !== null);
    }
  });

  it('colours IPv6 addresses in their text forms (RFC 4291 §2.2)', () => {
    for (const a of ['2001:db8::1', '::1', '::', '2001:DB8:0:0:8:800:200C:417A', '::ffff:128.119.245.12', 'fe80::']) {
      expect(pairs(`x AAAA ${a}`)[2]).toBe(`${a}:constant.address.ipv6`);
    }
  });

  it('colours quoted strings with their escapes, and an unclosed one as invalid', () => {
    expect(pairs('@ TXT "v=spf1 -all" "say \\"hi\\"" \\065')).toEqual(['@:variable.owner.origin', 'TXT:type.record', '"v=spf1 -all":string', '"say \\"hi\\"":string', '\\065:variable.name']);
    expect(pairs('@ TXT "no end ; not a comment')).toEqual(['@:variable.owner.origin', 'TXT:type.record', '"no end ; not a comment:invalid']);
    // The line after an unclosed string starts afresh, as the parser reads it.
    expect(pairs('@ TXT "open\nwww A 10.0.0.1')).toEqual(['@:variable.owner.origin', 'TXT:type.record', '"open:invalid', 'www:variable.owner', 'A:type.record', '10.0.0.1:constant.address.ipv4']);
  });

  it('shows $ORIGIN and $TTL as directives and $INCLUDE as unsupported', () => {
    expect(pairs('$ORIGIN umass.edu.')).toEqual(['$ORIGIN:keyword.directive', 'umass.edu.:variable.name.absolute']);
    expect(pairs('$TTL 1h ; one hour')).toEqual(['$TTL:keyword.directive', '1h:number.ttl', '; one hour:comment']);
    expect(pairs('$ttl 300')).toEqual(['$ttl:keyword.directive', '300:number.ttl']);
    expect(pairs('$INCLUDE other.zone')).toEqual(['$INCLUDE:invalid.unsupported', 'other.zone:variable.name']);
    expect(pairs('$GENERATE 1-2 x A 10.0.0.$')[0]).toBe('$GENERATE:invalid');
    // The parser says so too: the colour and the marker agree.
    const parsed = parseZoneFile('$INCLUDE other.zone\n', { origin: 'example.' });
    expect(parsed.problems.map((p) => [p.line, p.column, p.message])).toEqual([[1, 1, '$INCLUDE is not supported in the lab: put the records in this file']]);
  });

  it('keeps a record open across lines inside parentheses, and ends it at the ")"', () => {
    const text = [
      '@ IN SOA ns1 hostmaster (',
      '    2024090101 ; serial',
      '    3600 900',
      '    1209600 300 )',
      'www IN A 10.0.0.1',
    ].join('\n');
    expect(pairs(text)).toEqual([
      '@:variable.owner.origin',
      'IN:keyword.class',
      'SOA:type.record',
      'ns1:variable.name',
      'hostmaster:variable.name',
      '(:delimiter.parenthesis',
      // Inside the parentheses the indented lines are data, not records with a repeated owner.
      '2024090101:number',
      '; serial:comment',
      '3600:number',
      '900:number',
      '1209600:number',
      '300:number',
      '):delimiter.parenthesis',
      'www:variable.owner',
      'IN:keyword.class',
      'A:type.record',
      '10.0.0.1:constant.address.ipv4',
    ]);
  });

  it('opens parentheses before the type too, and marks what the parser refuses about them', () => {
    expect(pairs('x ( IN\n A ) 10.0.0.1')).toEqual(['x:variable.owner', '(:delimiter.parenthesis', 'IN:keyword.class', 'A:type.record', '):delimiter.parenthesis', '10.0.0.1:constant.address.ipv4']);
    // Parentheses do not nest, and a ")" needs a "(" (zone-file.ts reports both).
    expect(pairs('x TXT ( "a" ( "b" )')).toContain('(:invalid');
    expect(pairs('x TXT "a" )')).toContain('):invalid');
  });

  it('keeps its state one level deep however long the file is', () => {
    const record = 'host IN TXT ( "a"\n "b" ) ; note\n$TTL 5m\n  IN A 10.0.0.1\n';
    const { maxDepth, endState } = tokenize(record.repeat(500));
    expect(maxDepth).toBe(1);
    expect(endState).toBe('root');
  });

  it('tokenizes every line of every shipped zone file without an invalid token', () => {
    const files = readdirSync(ZONES_DIR).filter((f) => f.endsWith('.zone'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const { tokens, endState } = tokenize(readFileSync(path.join(ZONES_DIR, file), 'utf8'));
      expect(tokens.filter((t) => t.type.startsWith('invalid')).map((t) => `${file}:${t.line}:${t.column} ${t.text}`)).toEqual([]);
      expect(endState, file).toBe('root');
    }
  });

  it('finds on each record’s line the type the parser read there, in every shipped zone file', () => {
    const read = readZoneManifest(parseYaml(readFileSync(path.join(ZONES_DIR, 'zones.yaml'), 'utf8')));
    if (!read.ok) throw new Error(read.problems.join('\n'));
    const origins = new Map(read.manifest.servers.flatMap((s) => s.zones.map((z) => [z.file, z.origin] as const)));
    expect(origins.size).toBeGreaterThan(10);
    let records = 0;
    for (const [file, origin] of origins) {
      const text = readFileSync(path.join(ZONES_DIR, file), 'utf8');
      const parsed = parseZoneFile(text, { origin, file });
      expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
      const types = tokenize(text).tokens.filter((t) => t.type === 'type.record');
      for (const r of parsed.records) {
        const onLine = types.filter((t) => t.line === r.line);
        expect(onLine.map((t) => typeCode(t.text)), `${file}:${r.line}`).toEqual([r.record.type]);
        records++;
      }
      // And no type token where the parser read no record.
      expect(new Set(types.map((t) => t.line))).toEqual(new Set(parsed.records.map((r) => r.line)));
    }
    expect(records).toBeGreaterThan(50);
  });

  it('gives up colouring lines longer than monaco tokenizes, instead of stalling', () => {
    const long = `x TXT "${'a'.repeat(MAX_TOKENIZATION_LINE_LENGTH)}"`;
    const r = tokenizer.tokenize(long, false, tokenizer.getInitialState());
    expect(r.tokens.length).toBe(1);
    const short = `x TXT "${'a'.repeat(MAX_TOKENIZATION_LINE_LENGTH - 10)}"`;
    expect(tokenizer.tokenize(short, false, tokenizer.getInitialState()).tokens.map((t) => t.type)).toEqual(['variable.owner.zone', 'white.zone', 'type.record.zone', 'white.zone', 'string.zone']);
  });
});

/** WCAG 2.x relative luminance and contrast ratio of two `rrggbb` colours. */
function luminance(hex: string): number {
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** WCAG 2.x level AA for normal text (success criterion 1.4.3). */
const MIN_TEXT_CONTRAST = 4.5;

describe('the zone theme', () => {
  it('sits on the app’s pane background (styles.css --bg-pane)', () => {
    const css = readFileSync(fileURLToPath(new URL('../../../src/renderer/styles.css', import.meta.url)), 'utf8');
    expect(css).toContain(`--bg-pane: ${ZONE_THEME_BACKGROUND};`);
    expect(ZONE_THEME.colors['editor.background']).toBe(ZONE_THEME_BACKGROUND);
  });

  it('gives every token a colour readable on that background (WCAG AA, 4.5:1)', () => {
    const bg = ZONE_THEME_BACKGROUND.slice(1);
    for (const rule of ZONE_THEME.rules) {
      expect(contrast(rule.foreground, bg), rule.token).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    }
  });

  it('has a rule for every token the tokenizer emits on the shipped files and the samples above', () => {
    const seen = new Set<string>();
    for (const file of readdirSync(ZONES_DIR).filter((f) => f.endsWith('.zone'))) {
      for (const t of tokenize(readFileSync(path.join(ZONES_DIR, file), 'utf8')).tokens) seen.add(t.type);
    }
    for (const t of tokenize('$INCLUDE x\nx AAAA ::1\nx TXT "open\nx TXT \\# 0\n').tokens) seen.add(t.type);
    const ruled = new Set(ZONE_THEME.rules.map((r) => r.token.slice(0, -ZONE_TOKEN_POSTFIX.length)));
    for (const t of seen) expect(ruled.has(t), t).toBe(true);
  });
});

describe('registerZoneLanguage', () => {
  function fakeMonaco() {
    const languages: Array<{ id: string }> = [];
    const calls: string[] = [];
    const monaco = {
      languages: {
        getLanguages: () => languages,
        register: (l: { id: string }) => {
          languages.push(l);
          calls.push(`register ${l.id}`);
        },
        setMonarchTokensProvider: (id: string, def: unknown) => calls.push(`tokens ${id} ${def === ZONE_MONARCH}`),
        setLanguageConfiguration: (id: string, conf: unknown) => calls.push(`configuration ${id} ${conf === ZONE_LANGUAGE_CONFIGURATION}`),
      },
      editor: { defineTheme: (id: string) => calls.push(`theme ${id}`) },
    };
    return { monaco: monaco as unknown as Parameters<typeof registerZoneLanguage>[0], calls };
  }

  it('registers the language, its tokenizer, its configuration and the theme once', () => {
    const { monaco, calls } = fakeMonaco();
    registerZoneLanguage(monaco);
    registerZoneLanguage(monaco);
    expect(calls).toEqual([`register ${ZONE_LANGUAGE_ID}`, `tokens ${ZONE_LANGUAGE_ID} true`, `configuration ${ZONE_LANGUAGE_ID} true`, `theme ${ZONE_THEME_ID}`]);
  });

  it('declares ";" comments and the parentheses of multi-line records', () => {
    expect(ZONE_LANGUAGE_CONFIGURATION.comments.lineComment).toBe(';');
    expect(ZONE_LANGUAGE_CONFIGURATION.brackets).toEqual([['(', ')']]);
    const word = new RegExp(ZONE_LANGUAGE_CONFIGURATION.wordPattern.source, 'g');
    expect('gaia.cs.umass.edu. IN A'.match(word)).toEqual(['gaia.cs.umass.edu.', 'IN', 'A']);
  });
});

