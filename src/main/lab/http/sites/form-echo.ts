// The course's www.somesite.com/page1exec: a program on the server that receives form input and
// shows exactly how it arrived. The same var1 and var2 can come in the URL's query string (GET),
// in an application/x-www-form-urlencoded body, or in a multipart/form-data body (POST); the page
// says which, with the Content-Type and Content-Length the server saw.

import { bytesToLatin1 } from '../../../../protocols/core/bytes';
import { decodeUrlEncoded, multipartBoundary, parseMultipart } from '../../../../protocols/http/forms';
import { getHeader } from '../../../../protocols/http/headers';
import { parseMediaType } from '../../../../protocols/http/media-type';
import type { HttpResponseInit } from '../../../../protocols/http/persistence';
import type { HttpRequest } from '../../../../protocols/http/server-connection';
import { escapeHtml, generatedPageHeaders, htmlPage, shortened } from './html-page';

/** Characters of one field value (or of an undecoded body) shown on the page; the rest is cut with a note. */
export const FORM_ECHO_MAX_SHOWN_CHARS = 2_000;

/** The fields the course's example sends, shown first whether or not they came. */
const COURSE_FIELDS = ['var1', 'var2'];

interface EchoedField {
  name: string;
  value: string;
  /** Where the server found it, in words. */
  source: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function queryFields(request: HttpRequest): EchoedField[] {
  return request.parsedTarget.params.map((f) => ({ name: f.name, value: f.value, source: 'the query string in the request line (after "?")' }));
}

/** The body's fields, and notes on anything the server could not decode. */
function bodyFields(request: HttpRequest, contentType: string | undefined): { fields: EchoedField[]; notes: string[] } {
  const notes: string[] = [];
  if (request.body.length === 0) return { fields: [], notes };
  if (request.method === 'GET' || request.method === 'HEAD') {
    notes.push(`The ${request.method} request carried a body of ${request.body.length} bytes; a GET's body has no defined meaning (RFC 9110 §9.3.1), so the form fields are read from the query string only.`);
    return { fields: [], notes };
  }
  const type = contentType ? parseMediaType(contentType) : null;
  if (type?.essence === 'application/x-www-form-urlencoded') {
    const form = decodeUrlEncoded(bytesToLatin1(request.body));
    if (form.truncated) notes.push(`The body holds more fields than the ${form.fields.length} the server decodes.`);
    if (form.fields.some((f) => f.badEscape)) notes.push('Some "%" in the body was not followed by two hex digits; it was kept as it is.');
    return { fields: form.fields.map((f) => ({ name: f.name, value: f.value, source: 'the body, application/x-www-form-urlencoded' })), notes };
  }
  if (type?.essence === 'multipart/form-data') {
    const boundary = multipartBoundary(contentType);
    if (!boundary) {
      notes.push('The Content-Type is multipart/form-data but names no usable boundary (1 to 70 characters), so the parts cannot be found.');
      return { fields: [], notes };
    }
    const body = parseMultipart(request.body, boundary);
    notes.push(...body.problems.map((p) => `Multipart: ${p}.`));
    const fields = body.parts.map((part, i): EchoedField => {
      const where = `the body, multipart/form-data part ${i + 1}`;
      if (part.filename !== undefined) {
        const kind = part.contentType ?? 'no Content-Type';
        const isText = part.contentType === undefined || /^text\//i.test(part.contentType);
        const preview = isText ? `: ${utf8.decode(part.data)}` : '';
        return { name: part.name ?? '(no name)', value: `file "${part.filename}" (${kind}, ${part.data.length} bytes)${preview}`, source: where };
      }
      return { name: part.name ?? '(no name)', value: utf8.decode(part.data), source: where };
    });
    return { fields, notes };
  }
  notes.push(
    contentType === undefined
      ? `The body (${request.body.length} bytes) came without a Content-Type, so the server cannot tell how its fields are encoded. Browsers send application/x-www-form-urlencoded or multipart/form-data.`
      : `The body's Content-Type is ${contentType}, which is not a form encoding (application/x-www-form-urlencoded or multipart/form-data), so it is shown as it came.`,
  );
  notes.push(`The body as text: ${shortened(utf8.decode(request.body), FORM_ECHO_MAX_SHOWN_CHARS)}`);
  return { fields: [], notes };
}

function row(cells: string[]): string {
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
}

/** The page for one request to page1exec. */
export function formEchoResponse(request: HttpRequest): HttpResponseInit {
  const contentType = getHeader(request.headers, 'content-type');
  const contentLength = getHeader(request.headers, 'content-length');
  const transferEncoding = getHeader(request.headers, 'transfer-encoding');
  const fromBody = bodyFields(request, contentType);
  const fields = [...queryFields(request), ...fromBody.fields];
  const show = (v: string) => `<code>${escapeHtml(shortened(v, FORM_ECHO_MAX_SHOWN_CHARS))}</code>`;

  const course = COURSE_FIELDS.map((name) => {
    const found = fields.filter((f) => f.name === name);
    if (found.length === 0) return row([show(name), '<em>not sent</em>', '']);
    return found.map((f) => row([show(name), show(f.value), escapeHtml(f.source)])).join('\n');
  }).join('\n');
  const all = fields.length === 0 ? '<p>No form fields at all: neither the query string nor the body held any.</p>' : `<table>\n<tr><th>#</th><th>Name</th><th>Value</th><th>Found in</th></tr>\n${fields.map((f, i) => row([String(i + 1), show(f.name), show(f.value), escapeHtml(f.source)])).join('\n')}\n</table>`;
  const version = request.versionText ?? '(none: an HTTP/0.9 request)';
  const described = [
    ['Request line', `${request.method} ${request.target} ${request.versionText ?? ''}`.trim()],
    ['Method', request.method],
    ['Version', version],
    ['Query string', request.parsedTarget.query === null ? '(none)' : request.parsedTarget.query],
    ['Content-Type', contentType ?? '(none)'],
    ['Content-Length', contentLength ?? '(none)'],
    ['Transfer-Encoding', transferEncoding ?? '(none)'],
    ['Body bytes received', String(request.body.length)],
  ];
  const body =
    `<h1>page1exec: what the server received</h1>\n` +
    `<p>This page was made by the program at <code>${escapeHtml(request.parsedTarget.path)}</code> for your request alone. It shows the form fields as the server decoded them and where each one travelled.</p>\n` +
    `<h2>The course's fields</h2>\n<table>\n<tr><th>Name</th><th>Value</th><th>Found in</th></tr>\n${course}\n</table>\n` +
    `<h2>Every field</h2>\n${all}\n` +
    `<h2>The request as the server saw it</h2>\n<table>\n${described.map(([k, v]) => row([escapeHtml(k), show(v)])).join('\n')}\n</table>\n` +
    (fromBody.notes.length > 0 ? `<h2>Notes</h2>\n<ul>\n${fromBody.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('\n')}\n</ul>\n` : '') +
    `<p><a href="/">Back to the forms</a></p>`;
  return { status: 200, headers: generatedPageHeaders(), body: htmlPage('page1exec: form fields received', body) };
}
