// Zone files (the master-file format of RFC 1035 §5) as a monaco language: a Monarch tokenizer,
// a language configuration and a theme whose colours are readable on the app's dark panes.
//
// The tokenizer follows the parser in src/protocols/dns/zone-file.ts as far as colour can: a
// record is OWNER [TTL] [CLASS] TYPE DATA (RFC 1035 §5.1, TTL and class in either order), a line
// starting with white space keeps the owner of the line before, "(" ... ")" continues a record over
// several lines, ";" starts a comment, $ORIGIN and $TTL (RFC 2308 §4) are directives and $INCLUDE
// is shown as unsupported because the lab's parser refuses it. The parser's problems come back as
// markers (zone-markers.ts); colour only helps the eye.
//
// Every move between states is a `switchTo`, never a push, so the tokenizer's stack stays one
// state deep however long the file is.

import type * as Monaco from 'monaco-editor/editor';
import { DNS_CLASSES, DNS_TYPES } from '../../protocols/dns/message';

export const ZONE_LANGUAGE_ID = 'dns-zone';

/** Monarch appends this to every token type, so the theme's rules touch no other language. */
export const ZONE_TOKEN_POSTFIX = '.zone';

export const ZONE_THEME_ID = 'protolab-zone';

/** The background of the app's panes (--bg-pane in styles.css): the editor sits on it. */
export const ZONE_THEME_BACKGROUND = '#1a1f27';

/** Record type mnemonics the parser knows (typeCode in message.ts reads the same table). */
export const ZONE_RECORD_TYPES: readonly string[] = DNS_TYPES.map((t) => t.name);

/** Class mnemonics; a word that is both (ANY) is read as a type, as the parser does. */
export const ZONE_CLASSES: readonly string[] = DNS_CLASSES.map((c) => c.name).filter((c) => !ZONE_RECORD_TYPES.includes(c));

/** The token types the tokenizer emits (without the postfix), each with its colour in the theme. */
export const ZONE_TOKEN_STYLES = {
  comment: { foreground: '8f9bad', fontStyle: 'italic' },
  'keyword.directive': { foreground: 'd2a8ff', fontStyle: 'bold' },
  'invalid.unsupported': { foreground: 'ff7b72', fontStyle: 'italic underline' },
  invalid: { foreground: 'ff7b72', fontStyle: 'underline' },
  'variable.owner': { foreground: '6cb6ff', fontStyle: 'bold' },
  'variable.owner.absolute': { foreground: '56d4dd', fontStyle: 'bold' },
  'variable.owner.origin': { foreground: 'd2a8ff', fontStyle: 'bold' },
  'variable.name': { foreground: '6cb6ff' },
  'variable.name.absolute': { foreground: '56d4dd' },
  'variable.name.origin': { foreground: 'd2a8ff' },
  'number.ttl': { foreground: 'f2cc60' },
  number: { foreground: 'e3c98f' },
  'keyword.class': { foreground: 'a3adbb' },
  'type.record': { foreground: '7ee787', fontStyle: 'bold' },
  'keyword.generic': { foreground: 'd2a8ff' },
  string: { foreground: 'ffa657' },
  'constant.address.ipv4': { foreground: 'ff9bce' },
  'constant.address.ipv6': { foreground: 'ff9bce' },
  'delimiter.parenthesis': { foreground: 'd5dce6', fontStyle: 'bold' },
  identifier: { foreground: 'd5dce6' },
  white: { foreground: 'd5dce6' },
} as const satisfies Record<string, { foreground: string; fontStyle?: string }>;

export type ZoneTokenType = keyof typeof ZONE_TOKEN_STYLES;

type Action = { token: ZoneTokenType | ''; switchTo?: string } | { cases: Record<string, ZoneTokenType | { token: ZoneTokenType; switchTo: string }> };
type Rule = [RegExp, ZoneTokenType | Action];

// Where a token ends: white space, a comment, a parenthesis, a quote or the end of the line.
const SEP = /[ \t\n;()"]|$/;
// A name or a word: anything up to a separator, with backslash escapes (RFC 1035 §5.1: \X, \DDD).
const WORD = /(?:\\[^\n]|[^\s;()"\\])+/;
// A name ending in an unescaped dot is absolute (`gaia.cs.umass.edu.`); "." alone is the root.
// An escape is one unit, so `a\.` (a dot inside a label) does not end in one and `a\\.` does.
const ABSOLUTE_NAME = /(?:\\[^\n]|[^\s;()"\\])*\./;
// Seconds, or BIND's units (1h30m): the TTL_TEXT of zone-file.ts.
const TTL = /(?:\d+[smhdw])+|\d+/;
// Four octets 0-255 without leading zeros, as parseIPv4 in addresses.ts reads them.
const IPV4 = /(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}/;
// Eight groups, or fewer around one "::", optionally ending in an IPv4 address (RFC 4291 §2.2).
// Shaped like one; parseIPv6 decides, and its problem comes back as a marker.
const IPV6 = /(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?/;

const SPACE: Rule[] = [
  [/[ \t]+/, 'white'],
  [/;.*/, 'comment'],
];

const QUOTED: Rule[] = [
  [/"(?:[^"\\\n]|\\[^\n])*"/, 'string'],
  // The parser refuses a string that does not close on its line.
  [/"(?:[^"\\\n]|\\[^\n])*\\?/, 'invalid'],
];

/** TTL, class and type, before the record's data; `inParens` while a "(" is open. */
function fieldRules(inParens: boolean): Rule[] {
  const rdata = inParens ? '@rdataParen' : '@rdata';
  return [
    ...SPACE,
    ...QUOTED,
    [/@ttl(?=@sep)/, 'number.ttl'],
    inParens ? [/\(/, 'invalid'] : [/\(/, { token: 'delimiter.parenthesis', switchTo: '@fieldsParen' }],
    inParens ? [/\)/, { token: 'delimiter.parenthesis', switchTo: '@fields' }] : [/\)/, 'invalid'],
    [
      /@word(?=@sep)/,
      {
        cases: {
          '@classes': 'keyword.class',
          '~CLASS\\d{1,5}': 'keyword.class',
          '@types': { token: 'type.record', switchTo: rdata },
          '~TYPE\\d{1,5}': { token: 'type.record', switchTo: rdata },
          // Not a type: the parser says what it expected; the rest of the line is read as data.
          '@default': { token: 'identifier', switchTo: rdata },
        },
      },
    ],
    inParens ? [/\n/, 'white'] : [/\n/, { token: 'white', switchTo: '@root' }],
    [/[^\n]/, 'invalid'],
  ];
}

/** The record's data: names, addresses, numbers, strings; `inParens` while a "(" is open. */
function dataRules(inParens: boolean): Rule[] {
  return [
    ...SPACE,
    ...QUOTED,
    inParens ? [/\(/, 'invalid'] : [/\(/, { token: 'delimiter.parenthesis', switchTo: '@rdataParen' }],
    inParens ? [/\)/, { token: 'delimiter.parenthesis', switchTo: '@rdata' }] : [/\)/, 'invalid'],
    // RFC 3597 §5: `\# length hex` is any type's data in the generic form.
    [/\\#(?=@sep)/, 'keyword.generic'],
    [/@ipv4(?=@sep)/, 'constant.address.ipv4'],
    [/@ipv6(?=@sep)/, 'constant.address.ipv6'],
    [/@ttl(?=@sep)/, 'number'],
    [/@@(?=@sep)/, 'variable.name.origin'],
    [/@absoluteName(?=@sep)/, 'variable.name.absolute'],
    [/@word/, 'variable.name'],
    inParens ? [/\n/, 'white'] : [/\n/, { token: 'white', switchTo: '@root' }],
    [/[^\n]/, 'invalid'],
  ];
}

/** The Monarch definition (data only: the tests run it through monaco's own lexer). */
export const ZONE_MONARCH = {
  defaultToken: 'invalid',
  tokenPostfix: ZONE_TOKEN_POSTFIX,
  ignoreCase: true,
  // Each line ends in "\n" for the rules, so a record's end is a token like any other.
  includeLF: true,
  types: ZONE_RECORD_TYPES,
  classes: ZONE_CLASSES,
  sep: SEP,
  word: WORD,
  absoluteName: ABSOLUTE_NAME,
  ttl: TTL,
  ipv4: IPV4,
  ipv6: IPV6,
  tokenizer: {
    // The start of a line: an owner, a directive, a comment, or white space (same owner as before).
    root: [
      [/^[ \t]+/, { token: 'white', switchTo: '@fields' }],
      [/^;.*/, 'comment'],
      [/^\$(?:ORIGIN)(?=@sep)/, { token: 'keyword.directive', switchTo: '@rdata' }],
      [/^\$TTL(?=@sep)/, { token: 'keyword.directive', switchTo: '@ttlArgument' }],
      [/^\$INCLUDE(?=@sep)/, { token: 'invalid.unsupported', switchTo: '@rdata' }],
      [/^\$@word/, { token: 'invalid', switchTo: '@rdata' }],
      [/^@@(?=@sep)/, { token: 'variable.owner.origin', switchTo: '@fields' }],
      [/^@absoluteName(?=@sep)/, { token: 'variable.owner.absolute', switchTo: '@fields' }],
      [/^@word/, { token: 'variable.owner', switchTo: '@fields' }],
      [/\n/, 'white'],
      // A line that opens with "(" or a quote: no owner the parser would accept; read on as fields.
      [/[()"]/, { token: 'invalid', switchTo: '@fields' }],
      [/[^\n]/, 'invalid'],
    ],
    fields: fieldRules(false),
    fieldsParen: fieldRules(true),
    rdata: dataRules(false),
    rdataParen: dataRules(true),
    ttlArgument: [
      ...SPACE,
      [/@ttl(?=@sep)/, 'number.ttl'],
      [/\n/, { token: 'white', switchTo: '@root' }],
      [/[^\n]/, { token: 'invalid', switchTo: '@rdata' }],
    ],
  },
};

/** Comments, the parentheses of multi-line records, quotes (RFC 1035 §5.1). */
export const ZONE_LANGUAGE_CONFIGURATION = {
  comments: { lineComment: ';' },
  brackets: [['(', ')']] as [string, string][],
  autoClosingPairs: [
    { open: '(', close: ')' },
    { open: '"', close: '"', notIn: ['string', 'comment'] },
  ],
  surroundingPairs: [
    { open: '(', close: ')' },
    { open: '"', close: '"' },
  ],
  // A double click selects a whole name, dots and all: `gaia.cs.umass.edu.`.
  wordPattern: /(?:\\.|[^\s;()"\\])+/,
};

/** vs-dark with the app's pane background and a colour for each zone token. */
export const ZONE_THEME = {
  base: 'vs-dark' as const,
  inherit: true,
  rules: Object.entries(ZONE_TOKEN_STYLES).map(([token, style]) => ({ token: `${token}${ZONE_TOKEN_POSTFIX}`, ...style })),
  colors: {
    'editor.background': ZONE_THEME_BACKGROUND,
    'editor.foreground': '#d5dce6',
    'editorGutter.background': ZONE_THEME_BACKGROUND,
    'editorLineNumber.foreground': '#5f6b7c',
    'editorLineNumber.activeForeground': '#8794a6',
  },
};

/**
 * Registers the language, its configuration and the theme with this monaco, once: a second call
 * (another editor mounting) finds the language there and does nothing.
 */
export function registerZoneLanguage(monaco: typeof Monaco): void {
  if (monaco.languages.getLanguages().some((l) => l.id === ZONE_LANGUAGE_ID)) return;
  monaco.languages.register({ id: ZONE_LANGUAGE_ID, extensions: ['.zone'], aliases: ['DNS zone file', 'zone'] });
  monaco.languages.setMonarchTokensProvider(ZONE_LANGUAGE_ID, ZONE_MONARCH as unknown as Monaco.languages.IMonarchLanguage);
  monaco.languages.setLanguageConfiguration(ZONE_LANGUAGE_ID, ZONE_LANGUAGE_CONFIGURATION);
  monaco.editor.defineTheme(ZONE_THEME_ID, ZONE_THEME);
}
