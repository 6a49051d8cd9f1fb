// The `http` command's command line: curl's spelling for the options a student of the course needs
// (method, headers, body, HTTP/1.0, persistent or not, proxy, pipelining, cookies), and its URLs,
// written with or without `http://` as the course deck writes them (`www.someschool.edu/someDept/pic.gif`).

import { HTTP_PORT } from '../../../../protocols/http/authority';
import { isToken, isValidFieldValue, type HttpHeader } from '../../../../protocols/http/headers';
import { UsageError } from '../shell-command';
import { parsePort } from './open';

/**
 * Port assumed for `-x HOST` without one: the web cache's port in the lab world, which is also
 * Squid's default (curl would assume 1080, the SOCKS port, which no lab host runs).
 */
export const PROXY_DEFAULT_PORT = 3128;

export type HttpVersionChoice = 'HTTP/1.0' | 'HTTP/1.1';

export interface HttpUrl {
  /** As the student typed it. */
  text: string;
  /** Lower-cased host name or address, IPv6 literals in brackets. */
  host: string;
  port: number;
  /** The path and query to send, percent-encoded where the URL held characters a target may not. */
  path: string;
  /** `user:password` written before `@` in the URL, for Basic authentication. */
  userinfo?: string;
}

export interface ProxyAddress {
  host: string;
  port: number;
}

export interface HttpInvocation {
  urls: HttpUrl[];
  /** Given with -X. */
  method?: string;
  /** -I: HEAD. */
  head: boolean;
  /** -H lines in order; an empty `value` with `remove` drops a header the command would send. */
  headers: Array<HttpHeader & { remove?: boolean }>;
  /** -d pieces, joined with `&` as curl joins them. */
  data?: string;
  version: HttpVersionChoice;
  /** --keep-alive / --close: the Connection header to send. */
  connection?: 'keep-alive' | 'close';
  proxy?: ProxyAddress;
  pipeline: boolean;
  /** -b values (`name=value; other=value`). */
  cookies: string[];
  /** -c: remember Set-Cookie across this command's URLs. */
  cookieJar: boolean;
  /** -u USER:PASSWORD. */
  user?: string;
  /** -i / --body: the whole body rather than a preview. */
  fullBody: boolean;
  /** --help: show the options and do nothing else. */
  help: boolean;
}

interface OptionSpec {
  names: readonly string[];
  /** Takes a value: `-X POST`, `-XPOST` or `--request=POST`. */
  value: boolean;
  apply(invocation: HttpInvocation, value: string, spelled: string): void;
}

function splitHeaderArgument(text: string, spelled: string): HttpHeader & { remove?: boolean } {
  // curl's forms: `Name: value`, `Name:` (do not send Name), `Name;` (send Name with an empty value).
  const semi = /^([^:;\s]+);$/.exec(text);
  if (semi) return checkedHeader({ name: semi[1]!, value: '' }, spelled);
  const colon = text.indexOf(':');
  if (colon <= 0) throw new UsageError(`${spelled} needs 'Name: value', got '${text}'`);
  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  if (value === '') return { ...checkedHeader({ name, value: '' }, spelled), remove: true };
  return checkedHeader({ name, value }, spelled);
}

function checkedHeader(header: HttpHeader, spelled: string): HttpHeader {
  if (!isToken(header.name)) throw new UsageError(`${spelled}: '${header.name}' is not a header name (letters, digits and !#$%&'*+-.^_\`|~ only)`);
  if (!isValidFieldValue(header.value)) throw new UsageError(`${spelled}: the value of ${header.name} may not hold CR, LF or NUL`);
  return header;
}

function parseProxy(text: string): ProxyAddress {
  const bare = text.replace(/^http:\/\//i, '').replace(/\/$/, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(bare)) throw new UsageError(`-x takes an HTTP proxy as HOST:PORT, got '${text}'`);
  const { host, port } = splitAuthority(bare, text);
  return { host, port: port ?? PROXY_DEFAULT_PORT };
}

const OPTIONS: readonly OptionSpec[] = [
  {
    names: ['-X', '--request'],
    value: true,
    apply(inv, value, spelled) {
      if (!isToken(value)) throw new UsageError(`${spelled}: '${value}' is not a method name`);
      inv.method = value;
    },
  },
  { names: ['-H', '--header'], value: true, apply: (inv, value, spelled) => inv.headers.push(splitHeaderArgument(value, spelled)) },
  { names: ['-d', '--data'], value: true, apply: (inv, value) => (inv.data = inv.data === undefined ? value : `${inv.data}&${value}`) },
  { names: ['-0', '--http1.0'], value: false, apply: (inv) => (inv.version = 'HTTP/1.0') },
  { names: ['--http1.1'], value: false, apply: (inv) => (inv.version = 'HTTP/1.1') },
  { names: ['--keep-alive'], value: false, apply: (inv) => setConnection(inv, 'keep-alive') },
  { names: ['--close'], value: false, apply: (inv) => setConnection(inv, 'close') },
  { names: ['-I', '--head'], value: false, apply: (inv) => (inv.head = true) },
  { names: ['-x', '--proxy'], value: true, apply: (inv, value) => (inv.proxy = parseProxy(value)) },
  { names: ['--pipeline'], value: false, apply: (inv) => (inv.pipeline = true) },
  { names: ['-b', '--cookie'], value: true, apply: (inv, value) => inv.cookies.push(checkedCookie(value)) },
  { names: ['-c', '--cookie-jar'], value: false, apply: (inv) => (inv.cookieJar = true) },
  {
    names: ['-u', '--user'],
    value: true,
    apply(inv, value, spelled) {
      if (!value.includes(':')) throw new UsageError(`${spelled} needs USER:PASSWORD`);
      inv.user = value;
    },
  },
  { names: ['-i', '--include', '--body'], value: false, apply: (inv) => (inv.fullBody = true) },
  { names: ['-h', '--help'], value: false, apply: (inv) => (inv.help = true) },
];

function setConnection(inv: HttpInvocation, wanted: 'keep-alive' | 'close'): void {
  if (inv.connection !== undefined && inv.connection !== wanted) throw new UsageError('--keep-alive and --close contradict each other; give one');
  inv.connection = wanted;
}

function checkedCookie(value: string): string {
  if (!value.includes('=')) throw new UsageError(`-b takes NAME=VALUE pairs, got '${value}'`);
  if (!isValidFieldValue(value)) throw new UsageError('-b: a cookie may not hold CR, LF or NUL');
  return value;
}

function findOption(arg: string): { spec: OptionSpec; spelled: string; inline?: string } | undefined {
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const spec = OPTIONS.find((o) => o.names.includes(name));
    if (!spec) return undefined;
    return eq === -1 ? { spec, spelled: name } : { spec, spelled: name, inline: arg.slice(eq + 1) };
  }
  const exact = OPTIONS.find((o) => o.names.includes(arg));
  if (exact) return { spec: exact, spelled: arg };
  // `-XPOST`, `-H'Accept: */*'`: a short option's value written right after it, as curl allows.
  const short = OPTIONS.find((o) => o.value && o.names.includes(arg.slice(0, 2)));
  return short ? { spec: short, spelled: arg.slice(0, 2), inline: arg.slice(2) } : undefined;
}

export function parseHttpArgs(args: readonly string[]): HttpInvocation {
  const inv: HttpInvocation = { urls: [], head: false, headers: [], version: 'HTTP/1.1', pipeline: false, cookies: [], cookieJar: false, fullBody: false, help: false };
  let optionsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (optionsEnded || !arg.startsWith('-') || arg === '-') {
      inv.urls.push(parseHttpUrl(arg));
      continue;
    }
    if (arg === '--') {
      optionsEnded = true;
      continue;
    }
    const found = findOption(arg);
    if (!found) throw new UsageError(`unknown option '${arg}' — 'http --help' lists the options`);
    const { spec, spelled } = found;
    if (!spec.value) {
      if (found.inline !== undefined) throw new UsageError(`${spelled} takes no value`);
      spec.apply(inv, '', spelled);
      continue;
    }
    let value = found.inline;
    if (value === undefined) {
      if (i + 1 >= args.length) throw new UsageError(`${spelled} needs a value`);
      value = args[++i]!;
    }
    spec.apply(inv, value, spelled);
  }
  if (inv.help) return inv;
  if (inv.urls.length === 0) throw new UsageError("needs a URL, e.g. http gaia.cs.umass.edu/ — 'http --help' lists the options");
  if (inv.head && inv.data !== undefined) throw new UsageError('-I (HEAD) sends no body, so it cannot go with -d');
  if (inv.head && inv.method !== undefined && inv.method !== 'HEAD') throw new UsageError(`-I asks for HEAD and -X for ${inv.method}; give one`);
  return inv;
}

/** `host`, `host:port`, `[::1]:port`; the port checked as `open` checks it. */
function splitAuthority(authority: string, whole: string): { host: string; port?: number } {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]*)(?::(.*))?$/.exec(authority);
  const host = m?.[1]?.toLowerCase() ?? '';
  if (!m || host === '' || !/^(\[[0-9a-f:.]+\]|[a-z0-9\-._~]+)$/.test(host)) throw new UsageError(`no host name in '${whole}'`);
  if (m[2] === undefined) return { host };
  return { host, port: parsePort(m[2]) };
}

/**
 * Characters a request target may hold as they are (RFC 3986 §3.3 pchar, plus `/`, `?` and `%`
 * for escapes already written); anything else is percent-encoded as UTF-8, as browsers do.
 */
const TARGET_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/;

function encodeTarget(text: string): string {
  let out = '';
  for (const ch of text) {
    if (TARGET_SAFE.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of new TextEncoder().encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `http://host[:port]/path?query`, or the same without the scheme. The fragment is never sent (RFC 9110 §4.2.4). */
export function parseHttpUrl(text: string): HttpUrl {
  let rest = text.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    if (name === 'https') throw new UsageError(`'${text}': the lab's servers speak plain HTTP (no TLS); write http:// or leave the scheme out`);
    if (name !== 'http') throw new UsageError(`'${text}': only http:// URLs can be fetched`);
    rest = rest.slice(scheme[0].length);
  }
  const end = rest.search(/[/?#]/);
  const authorityText = end === -1 ? rest : rest.slice(0, end);
  let pathText = end === -1 ? '' : rest.slice(end);
  const at = authorityText.lastIndexOf('@');
  const userinfo = at === -1 ? undefined : decodeURIComponentSafe(authorityText.slice(0, at));
  const { host, port } = splitAuthority(at === -1 ? authorityText : authorityText.slice(at + 1), text);
  const hash = pathText.indexOf('#');
  if (hash !== -1) pathText = pathText.slice(0, hash);
  if (pathText.startsWith('?')) pathText = `/${pathText}`;
  if (pathText === '') pathText = '/';
  const url: HttpUrl = { text, host, port: port ?? HTTP_PORT, path: encodeTarget(pathText) };
  if (userinfo !== undefined) url.userinfo = userinfo;
  return url;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** How the command is called, for `help` and usage errors; the options are in HTTP_HELP. */
export const HTTP_USAGE = 'http URL...';

/** `http --help`: every option, and how to read what the command shows. */
export const HTTP_HELP: readonly string[] = [
  `usage: ${HTTP_USAGE}`,
  'Fetches each URL (http://HOST[:PORT]/PATH, or HOST/PATH) from a lab web server and shows every byte of the exchange.',
  '',
  'Options:',
  '  -X METHOD          the request method (GET unless -d or -I says otherwise)',
  "  -H 'NAME: VALUE'   add a header, or replace one the command sends; 'NAME:' drops it (repeatable)",
  '  -d DATA            send DATA as a form body (POST, Content-Type application/x-www-form-urlencoded)',
  '  -I, --head         HEAD: only the head of the response',
  '  -0, --http1.0      write HTTP/1.0 in the request line (non-persistent unless --keep-alive)',
  '  --keep-alive       send Connection: keep-alive (how an HTTP/1.0 client asks for a persistent connection)',
  '  --close            send Connection: close: the server closes after answering',
  '  -x HOST[:PORT]     send the requests to a proxy (a web cache), e.g. -x cache.poly.edu:3128',
  '  --pipeline         send all requests on one connection before reading any answer',
  "  -b 'NAME=VALUE'    send a cookie (repeatable)",
  '  -c                 remember the cookies servers set, and send them with the later URLs',
  '  -u USER:PASSWORD   Basic authentication',
  '  -i, --body         show the whole body (by default, text bodies are cut after a few lines)',
  '',
  'Reading the output:',
  '  > a line sent       < a line received       * what happened, from this command',
  '  \\r\\n at the end of a line is its carriage return and line feed, the two bytes that end every line of an HTTP head; \\n alone means the server sent a bare line feed.',
];
