// The one Content-Security-Policy of the UI: sent by the web face, set by the Electron session and
// repeated in index.html's <meta>. Everything loads from the app itself; monaco needs inline
// styles and blob: workers; nothing may reach another host (DESIGN.md §7).
export const CONTENT_SECURITY_POLICY = [
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
].join('; ');
