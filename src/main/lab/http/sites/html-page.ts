// The pages the server makes up itself (form results, the cart, an uploads listing): plain HTML,
// every value that came from a request escaped, and fields that keep caches from storing them.

import type { HttpHeader } from '../../../../protocols/http/headers';
import { escapeHtml } from '../../../../protocols/http/status';

export { escapeHtml };

const STYLE = 'body{font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 1em;line-height:1.45}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}code,pre{background:#f0f0f0;padding:0 .2em;white-space:pre-wrap;word-break:break-all}';

/** A whole page; `title` is escaped here, `bodyHtml` must already be safe. */
export function htmlPage(title: string, bodyHtml: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${bodyHtml}\n</body>\n</html>\n`;
}

/** Fields for a page made for one request: HTML, and never stored by a cache (RFC 9111 §5.2.2.5). */
export function generatedPageHeaders(): HttpHeader[] {
  return [
    { name: 'Cache-Control', value: 'no-store' },
    { name: 'Content-Type', value: 'text/html; charset=utf-8' },
  ];
}

/** Text shown whole up to `max` characters, then cut with a note saying how much was left out. */
export function shortened(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters not shown)`;
}
