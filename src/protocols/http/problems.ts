// What can be wrong with an HTTP message, as values: each problem names the status the server
// answers with and says, in a sentence a student can act on, what exactly was wrong. The parser
// returns these; the engine turns them into the educational error page and closes.

export type HttpProblemCode =
  | 'request-line-too-long'
  | 'status-line-too-long'
  | 'header-section-too-large'
  | 'too-many-headers'
  | 'body-too-large'
  | 'bad-request-line'
  | 'bad-method'
  | 'bad-target'
  | 'bad-version'
  | 'unsupported-version'
  | 'simple-request-not-get'
  | 'missing-host'
  | 'duplicate-host'
  | 'bad-host'
  | 'space-before-first-header'
  | 'obs-fold'
  | 'no-colon'
  | 'space-before-colon'
  | 'bad-field-name'
  | 'bad-field-value'
  | 'bad-content-length'
  | 'conflicting-content-length'
  | 'content-length-and-chunked'
  | 'transfer-encoding-in-http10'
  | 'chunked-not-final'
  | 'unsupported-transfer-coding'
  | 'length-required'
  | 'bad-chunk-size'
  | 'chunk-line-too-long'
  | 'bad-chunk-end'
  | 'bad-status-line'
  | 'incomplete-message'
  | 'header-timeout'
  | 'body-timeout';

/** The status a server answers each problem with (the response parser's problems have none to send). */
export const PROBLEM_STATUS: Readonly<Record<HttpProblemCode, number>> = {
  'request-line-too-long': 414,
  'status-line-too-long': 502,
  'header-section-too-large': 431,
  'too-many-headers': 431,
  'body-too-large': 413,
  'bad-request-line': 400,
  'bad-method': 400,
  'bad-target': 400,
  'bad-version': 400,
  'unsupported-version': 505,
  'simple-request-not-get': 400,
  'missing-host': 400,
  'duplicate-host': 400,
  'bad-host': 400,
  'space-before-first-header': 400,
  'obs-fold': 400,
  'no-colon': 400,
  'space-before-colon': 400,
  'bad-field-name': 400,
  'bad-field-value': 400,
  'bad-content-length': 400,
  'conflicting-content-length': 400,
  'content-length-and-chunked': 400,
  'transfer-encoding-in-http10': 400,
  'chunked-not-final': 400,
  'unsupported-transfer-coding': 501,
  'length-required': 411,
  'bad-chunk-size': 400,
  'chunk-line-too-long': 400,
  'bad-chunk-end': 400,
  'bad-status-line': 502,
  'incomplete-message': 400,
  'header-timeout': 408,
  'body-timeout': 408,
};

export interface HttpProblem {
  code: HttpProblemCode;
  /** The status a server answers with. */
  status: number;
  /** What was wrong, in a sentence for the error page and the breakdown. */
  message: string;
  /** Where in the message (bytes from its first byte), when it is one spot. */
  offset?: number;
  length?: number;
  /** Where the rule is written, e.g. `RFC 9112 §5.1`. */
  rfc?: string;
}

export function httpProblem(code: HttpProblemCode, message: string, where: { offset?: number; length?: number; rfc?: string } = {}): HttpProblem {
  const p: HttpProblem = { code, status: PROBLEM_STATUS[code], message };
  if (where.offset !== undefined) p.offset = where.offset;
  if (where.length !== undefined) p.length = where.length;
  if (where.rfc !== undefined) p.rfc = where.rfc;
  return p;
}

/** Things worth a note that do not stop the message: the server accepts them, the breakdown flags them. */
export type HttpNoteCode =
  | 'bare-lf'
  | 'leading-empty-line'
  | 'simple-request'
  | 'newer-minor-version'
  | 'repeated-content-length'
  | 'chunk-extension'
  | 'trailer-fields';

export interface HttpNote {
  code: HttpNoteCode;
  message: string;
  offset?: number;
  length?: number;
}
