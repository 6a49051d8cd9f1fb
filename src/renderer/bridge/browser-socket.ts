// The browser's WebSocket behind the link's socket interface (kept apart from ws.ts so that the
// bridge logic has no DOM types and its tests run in Node on the `ws` package).

import type { LinkSocketFactory } from './reconnecting-link';

export const browserSocketFactory: LinkSocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.open();
  ws.onmessage = (ev: MessageEvent) => {
    if (typeof ev.data === 'string') handlers.message(ev.data);
  };
  ws.onclose = (ev: CloseEvent) => handlers.closed(ev.code);
  return {
    send: (text) => ws.send(text),
    close: () => ws.close(),
  };
};
