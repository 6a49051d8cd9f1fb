// Properties of request methods that decide what a client or proxy may do on its own.

/**
 * RFC 9110 §9.2.2: methods whose intended effect is the same however many times the request is
 * sent. Only these may be sent again automatically after a connection fails before the answer
 * (RFC 9112 §9.3.1); a POST repeated could order twice.
 */
export const IDEMPOTENT_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE'];

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT_METHODS.includes(method);
}
