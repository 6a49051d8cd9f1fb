// How every browser test starts Debian's chromium (STACK.md). Chromium still calls home at start
// (update checks, account services) despite --disable-background-networking; the dead proxy
// below catches all of that on loopback, so no test sends a byte off 127.0.0.1. Loopback itself
// is never proxied (Chromium bypasses it implicitly), so the lab's pages load as usual.

/** A port nothing listens on (the discard port, well below the lab's offsets). */
const DEAD_PROXY = 'http://127.0.0.1:9';

export const CHROMIUM_BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** For tests whose pages live on 127.0.0.1: everything else goes to a proxy that is not there. */
export const CHROMIUM_ARGS = [...CHROMIUM_BASE_ARGS, `--proxy-server=${DEAD_PROXY}`];

/** For tests that browse through the lab's web cache: the cache refuses whatever is not the lab's. */
export function chromiumArgsWithProxy(proxyPort: number): string[] {
  return [...CHROMIUM_BASE_ARGS, `--proxy-server=http://127.0.0.1:${proxyPort}`];
}
