// Where the web face serves the LabApi: the same host as the page, path /api, ws: or wss: to match.

export const LAB_WS_PATH = '/api';

export function labWebSocketUrl(location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${LAB_WS_PATH}`;
}
