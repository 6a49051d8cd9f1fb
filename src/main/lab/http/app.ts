// What the HTTP socket adapter hands to whatever answers requests (the lab's web sites today):
// one whole request, and where it arrived. The app answers with a response as data; the engine
// adds Date, Server, Content-Length and Connection/Keep-Alive, and writes it in request order.

import type { HttpRequest } from '../../../protocols/http/server-connection';
import type { HttpResponseInit } from '../../../protocols/http/persistence';
import type { WorldHost, WorldService } from '../world/world';

export interface HttpExchange {
  request: HttpRequest;
  /** The world host and service whose lab port the client connected to. */
  listener: { host: WorldHost; service: WorldService; labPort: number };
  /** The client's real address and port. */
  client: { address: string; port: number };
  /** The lab clock when the request was handed over (ms since the epoch). */
  now: number;
  /**
   * Aborted when the client is gone (its connection closed or reset; for the web cache also its
   * FIN before the answer, see HttpConnectionOptions.abortOnClientEnd): nobody is left to read the
   * answer, so work done for it (the web cache's fetch from an origin) can stop.
   */
  signal: AbortSignal;
}

/** Answers one request. A rejection is answered 500 and ends that connection only. */
export type HttpApp = (exchange: HttpExchange) => Promise<HttpResponseInit> | HttpResponseInit;

/** An app the service holds while it listens, and lets go of when it stops. */
export interface HttpAppHandle {
  app: HttpApp;
  /** One line for the servers panel, when the app knows better than the catalog. */
  description?: string;
  release(): Promise<void>;
}
