// The web cache: where to point a browser or curl, the simulated access link (delay and
// bandwidth, with the course's settings one click away), what the cache did (hit rate, response
// times with and without it, link utilization), and what it holds.

import { useEffect, useState, type ReactNode } from 'react';
import type { LabApi } from '../../shared/lab-api';
import type { WebCacheState } from '../../shared/web-cache';
import { ACCESS_LINK_PRESETS } from '../../shared/web-cache';
import { formatByteCount, formatHostPort } from '../lib/format';
import {
  OUTCOME_TEXT,
  draftFromSettings,
  formatBitRate,
  formatFreshness,
  formatLinkSettings,
  formatResponseTime,
  formatSeconds,
  formatShare,
  presetIdFor,
  settingsFromDraft,
  shortUrl,
  type LinkDraft,
} from '../lib/web-cache-view';
import './web-cache-panel.css';

/** A URL that may wrap only after its slashes, not in the middle of a name. */
function breakableUrl(url: string): ReactNode[] {
  return url.split('/').flatMap((part, i) => (i === 0 ? [part] : [<wbr key={i} />, `/${part}`]));
}

export interface WebCachePanelProps {
  api: LabApi;
  linkOpen: boolean;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function WebCachePanel({ api, linkOpen }: WebCachePanelProps) {
  const [state, setState] = useState<WebCacheState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // null while the form shows the link's current settings; a draft once the student edits it.
  const [draft, setDraft] = useState<LinkDraft | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!linkOpen) return;
    let live = true;
    api.getWebCache().then(
      (s) => {
        if (!live) return;
        setState(s);
        setLoadError(null);
      },
      (err: unknown) => live && setLoadError(message(err)),
    );
    const off = api.on('webCache', (s) => {
      setState(s);
      setLoadError(null);
    });
    return () => {
      live = false;
      off();
    };
  }, [api, linkOpen]);

  const run = async (action: () => Promise<WebCacheState>) => {
    setBusy(true);
    setFormError(null);
    try {
      setState(await action());
      setDraft(null);
    } catch (err) {
      setFormError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const shown = draft ?? (state ? draftFromSettings(state.link) : null);
  const applyDraft = () => {
    if (!shown) return;
    const checked = settingsFromDraft(shown);
    if (!checked.ok) {
      setFormError(checked.error);
      return;
    }
    void run(() => api.setAccessLink(checked.settings));
  };
  const edit = (change: Partial<LinkDraft>) => {
    if (!shown) return;
    setDraft({ ...shown, ...change });
    setFormError(null);
  };

  const s = state?.stats;
  const proxy = state?.proxy;
  const disabled = busy || !linkOpen || !state;
  const presetId = state ? presetIdFor(state.link) : null;

  return (
    <aside className="servers web-cache" data-testid="web-cache-panel" aria-label="Web cache">
      <div className="pane-header">
        <h2>Web cache</h2>
        {proxy && <span className={`state state-${proxy.listening ? 'listening' : 'stopped'}`}>{proxy.listening ? 'listening' : 'stopped'}</span>}
      </div>
      <div className="servers-list web-cache-body">
        {!state && <div className="pane-empty">{loadError ?? (linkOpen ? 'Loading the web cache…' : 'Waiting for the lab core…')}</div>}
        {state && proxy && s && (
          <>
            <section className="service">
              <div className="service-head">
                <span className="service-host">{proxy.hostname}</span>
                <span className="service-proto">http-proxy</span>
              </div>
              <div className="service-addrs" title="Address in the lab world, and where the cache really listens on this machine">
                {formatHostPort(proxy.virtualAddress, proxy.wellKnownPort)} → {formatHostPort(proxy.address, proxy.port)}
              </div>
              <p className="web-cache-help">
                Set a browser&apos;s HTTP proxy (or <code>curl -x http://{formatHostPort(proxy.address, proxy.port)}</code>) to the cache and fetch a page
                twice: the first answer comes from the origin server (MISS), the second from the store (HIT, or REVALIDATED when the copy was stale and
                the server said 304 Not Modified). Then pick the course example below, clear the cache, and compare the response times of hits and
                misses, the hit rate and how busy the access link gets.
              </p>
            </section>

            <section className="service" aria-label="Access link">
              <div className="service-head">
                <span className="service-host">Access link</span>
              </div>
              <div className="muted" data-testid="link-settings" title="Between the cache and the origin servers; the bandwidth limits what comes back">
                {formatLinkSettings(state.link)}
              </div>
              <label className="web-cache-row">
                <span>Preset</span>
                <select
                  data-testid="link-preset"
                  value={presetId ?? ''}
                  disabled={disabled}
                  onChange={(e) => {
                    const preset = ACCESS_LINK_PRESETS.find((p) => p.id === e.target.value);
                    if (preset) void run(() => api.setAccessLink(preset.settings));
                  }}
                >
                  {presetId === null && <option value="">Custom</option>}
                  {ACCESS_LINK_PRESETS.map((p) => (
                    <option key={p.id} value={p.id} title={p.note}>
                      {p.label}
                    </option>
                  ))}
                </select>
              </label>
              {shown && (
                <form
                  className="web-cache-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    applyDraft();
                  }}
                >
                  <label className="web-cache-row">
                    <span>Delay each way</span>
                    <input data-testid="link-delay" inputMode="numeric" value={shown.delayMs} disabled={disabled} onChange={(e) => edit({ delayMs: e.target.value })} />
                    <span className="muted">ms</span>
                  </label>
                  <label className="web-cache-row">
                    <span>Bandwidth</span>
                    <input data-testid="link-bandwidth" inputMode="decimal" value={shown.unlimited ? '' : shown.bandwidthMbps} placeholder="unlimited" disabled={disabled || shown.unlimited} onChange={(e) => edit({ bandwidthMbps: e.target.value })} />
                    <span className="muted">Mbps</span>
                  </label>
                  <label className="web-cache-row">
                    <input type="checkbox" checked={shown.unlimited} disabled={disabled} onChange={(e) => edit({ unlimited: e.target.checked })} />
                    <span>Unlimited bandwidth</span>
                  </label>
                  <div className="service-foot">
                    <button type="submit" disabled={disabled || draft === null}>
                      Apply
                    </button>
                    {draft !== null && (
                      <button type="button" disabled={busy} onClick={() => (setDraft(null), setFormError(null))}>
                        Undo
                      </button>
                    )}
                  </div>
                </form>
              )}
              {formError && <div className="service-error">{formError}</div>}
            </section>

            <section className="service" aria-label="Statistics" data-testid="web-cache-stats">
              <div className="service-head">
                <span className="service-host">What the cache did</span>
                <button disabled={disabled} onClick={() => void run(() => api.clearWebCache())} title="Empty the store and zero the statistics (the link settings stay)">
                  Clear
                </button>
              </div>
              <dl className="web-cache-stats">
                <dt>Requests</dt>
                <dd>
                  {s.requests} ({s.hits} hit, {s.misses} miss, {s.revalidations} revalidated{s.passes > 0 ? `, ${s.passes} passed on` : ''}{s.errors > 0 ? `, ${s.errors} failed` : ''})
                </dd>
                <dt title="Hits over hits + misses + revalidations: the share answered without the origin server (POST, PUT and DELETE, which always go to it, do not count)">Hit rate</dt>
                <dd data-testid="web-cache-hit-rate">{formatShare(s.hitRate)}</dd>
                <dt>Mean response, hit</dt>
                <dd>{formatResponseTime(s.responseTimes.hit.meanMs)}</dd>
                <dt>Mean response, miss</dt>
                <dd>{formatResponseTime(s.responseTimes.miss.meanMs)}</dd>
                <dt>Mean, revalidated</dt>
                <dd>{formatResponseTime(s.responseTimes.revalidated.meanMs)}</dd>
                <dt>Mean, all</dt>
                <dd>{formatResponseTime(s.responseTimes.all.meanMs)}</dd>
                <dt title={`Averaged over the last ${s.utilizationWindowMs / 1000} s`}>Link throughput</dt>
                <dd>{formatBitRate(s.linkThroughputBps)}</dd>
                <dt title="Throughput divided by the bandwidth">Link utilization</dt>
                <dd>
                  {s.linkUtilization === null ? 'unlimited link' : formatShare(s.linkUtilization)}
                  {s.linkUtilization !== null && (
                    <span className="web-cache-meter" aria-hidden="true">
                      <span style={{ width: `${Math.round(s.linkUtilization * 100)}%` }} />
                    </span>
                  )}
                </dd>
                <dt title="Responses waiting for the link or crossing it right now">Transfers on the link</dt>
                <dd data-testid="web-cache-link-transfers">{s.linkTransfers}</dd>
                <dt>Over the link</dt>
                <dd>
                  {formatByteCount(s.bytesFromOrigins)} in, {formatByteCount(s.bytesToOrigins)} out
                </dd>
                <dt title="A kept-alive connection carries many requests">Origin connections</dt>
                <dd>{s.originConnections}</dd>
                <dt>Store</dt>
                <dd>
                  {state.usage.entries} entr{state.usage.entries === 1 ? 'y' : 'ies'}, {formatByteCount(state.usage.bytes)} of {formatByteCount(state.limits.maxTotalBytes)}
                </dd>
              </dl>
            </section>

            <section className="service" aria-label="Stored responses" data-testid="web-cache-entries">
              <div className="service-head">
                <span className="service-host">Stored responses</span>
                <span className="muted">{state.usage.entries}</span>
              </div>
              {state.entries.length === 0 && <div className="muted">Nothing stored yet.</div>}
              <ul className="web-cache-list">
                {state.entries.map((e) => (
                  <li key={`${e.url}\n${e.variant}`} data-testid="web-cache-entry" title={`${e.url}${e.variant ? `\nvaries on: ${e.variant.replace(/\n/g, ', ')}` : ''}\nfreshness: ${e.lifetimeSeconds} s (${e.lifetimeSource})${e.etag ? `\nETag ${e.etag}` : ''}`}>
                    <div className="web-cache-url">{breakableUrl(shortUrl(e.url))}</div>
                    <div className="muted">
                      {e.status} · {formatByteCount(e.bodyBytes)} · age {formatSeconds(e.ageSeconds)} · <span className={e.fresh ? 'web-cache-fresh' : 'web-cache-stale'}>{formatFreshness(e)}</span> · {e.hits} hit{e.hits === 1 ? '' : 's'}
                    </div>
                  </li>
                ))}
              </ul>
            </section>

            <section className="service" aria-label="Recent requests" data-testid="web-cache-recent">
              <div className="service-head">
                <span className="service-host">Recent requests</span>
              </div>
              {state.recent.length === 0 && <div className="muted">No request through the cache yet.</div>}
              <ul className="web-cache-list">
                {state.recent.map((r, i) => (
                  <li key={`${r.at}-${i}`} title={r.reason}>
                    <div>
                      <span className={`web-cache-outcome web-cache-${r.outcome.toLowerCase()}`} title={OUTCOME_TEXT[r.outcome]}>
                        {r.outcome}
                      </span>{' '}
                      <span className="muted">
                        {r.status} · {formatResponseTime(r.responseMs)}
                      </span>
                    </div>
                    <div className="web-cache-url">
                      {r.method} {breakableUrl(shortUrl(r.url))}
                    </div>
                    {r.reason && <div className="web-cache-reason muted">{r.reason}</div>}
                  </li>
                ))}
              </ul>
            </section>
          </>
        )}
      </div>
    </aside>
  );
}
