// The one Content-Security-Policy of the UI: sent by the web face, set by the Electron session and
// repeated in index.html's <meta>. Everything loads from the app itself; monaco needs inline
// styles and blob: workers; nothing may reach another host (DESIGN.md §7); no other page may
// frame the UI (clickjacking).

const DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-src 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

/**
 * Directives a policy in a <meta> element may not carry (CSP Level 3, "frame-ancestors": not
 * supported in <meta>); browsers ignore them there and log a console error.
 */
const HEADER_ONLY_DIRECTIVES: readonly string[] = ['frame-ancestors'];

export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

/** The same policy as index.html's <meta> carries it: without the header-only directives. */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.filter((d) => !HEADER_ONLY_DIRECTIVES.includes(d.split(' ', 1)[0])).join('; ');
