// HTTP/1.x (RFC 9110, 9111, 9112): the module the capture and the details pane use, and the
// sans-IO pieces the server, the caching proxy and the terminal's http client are built on.
//
//   server side     HttpServerConnection (server-connection.ts): receive / respond / tick / peerEnded
//                   statusResponse, notModifiedResponse, methodCheck (responses.ts)
//                   evaluateConditional (conditional.ts), etagFromStat, formatHttpDate
//                   decideRange (byte-range.ts), checkBasicAuth (basic-auth.ts)
//   both sides      HTTP_PORT, normalizeHostName, hostFieldValue (authority.ts), isIdempotent (methods.ts)
//   client side     serializeRequest, encodeChunked (serialize.ts); ResponseParser (parser.ts)
//   caching proxy   storability, freshnessLifetime, currentAge, decideCacheUse, varyKey,
//                   revalidationHeaders, refreshStored, cacheResponseHeaders (cache-rules.ts)
//                   worthStoring, selectingRequestHeaders (cache-policy.ts)
//   breakdown       createHttpFramer, dissectHttp, explainHttp, HTTP_ALL_FIELDS

import type { ProtocolModule } from '../registry-types';
import { dissectHttp } from './dissect';
import { explainHttp } from './explain';
import { HTTP_ALL_FIELDS } from './fields';
import { createHttpFramer } from './framer';

export const httpProtocol: ProtocolModule = {
  id: 'http',
  title: 'HTTP',
  rfc: 'RFC 9112',
  fields: HTTP_ALL_FIELDS,
  createFramer: createHttpFramer,
  dissect: dissectHttp,
  explain: explainHttp,
};

export * from './authority';
export * from './methods';
export * from './basic-auth';
export * from './byte-range';
export * from './limits';
export * from './headers';
export * from './dates';
export * from './etag';
export * from './problems';
export * from './syntax';
export * from './parser';
export * from './target';
export * from './forms';
export * from './media-type';
export * from './cookies';
export * from './status';
export * from './serialize';
export * from './persistence';
export * from './responses';
export * from './states';
export * from './server-connection';
export * from './conditional';
export * from './cache-control';
export * from './cache-rules';
export * from './cache-policy';
export * from './header-docs';
export { HTTP_FIELDS, HTTP_HEADER_FIELDS, HTTP_ALL_FIELDS, HTTP_EXPERT } from './fields';
export { HttpFramer, createHttpFramer, HTTP_CAPTURE_MAX_HEAD, HTTP_CAPTURE_MAX_CHUNK_LINE, HTTP_SUMMARY_MAX_CHARS, HTTP_CAPTURE_MAX_PENDING_REQUESTS } from './framer';
export { dissectHttp } from './dissect';
export { explainHttp, explainHeader, explainMethod, explainStatus } from './explain';
