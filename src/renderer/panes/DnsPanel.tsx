// The DNS panel: the local name server and its cache (Resolver), the resolution view (Lookups),
// and the zone files the name servers answer from (Zones). A side column like the web cache's,
// wider, with an edge the student can drag; the app keeps its width (lib/dns-panel-layout.ts).

import { lazy, Suspense, useCallback, useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { DnsLookup, ResolverMode, ResolverState } from '../../shared/dns';
import type { LabApi, ServiceInfo } from '../../shared/lab-api';
import type { CaptureTarget } from '../lib/dns-capture-link';
import { msUntilFirstExpiry } from '../lib/dns-cache-view';
import { mergeLookup, mergeLookupList } from '../lib/dns-lookups';
import { DNS_PANEL_KEYBOARD_STEP_PX, clampDnsPanelWidth } from '../lib/dns-panel-layout';
import { DNS_SERVICE_PROTOCOL } from '../lib/dns-servers';
import { DnsLookupsTab } from './DnsLookupsTab';
import { DnsResolverTab } from './DnsResolverTab';
import './dns-panel.css';

// The zone editor is monaco: it loads when the Zones tab is first opened, not with the page.
const ZoneEditor = lazy(() => import('./ZoneEditor').then((m) => ({ default: m.ZoneEditor })));

/** After the first cached entry expires, the panel asks the core again this much later (the core drops it on read). */
const EXPIRY_REFRESH_SLACK_MS = 500;

type DnsTab = 'resolver' | 'lookups' | 'zones';

const TABS: ReadonlyArray<{ id: DnsTab; title: string; hint: string }> = [
  { id: 'resolver', title: 'Resolver', hint: 'The local name server: its scheme, statistics and cache' },
  { id: 'lookups', title: 'Lookups', hint: 'Each lookup as a sequence of queries and replies between the servers' },
  { id: 'zones', title: 'Zones', hint: 'The zone files the name servers answer from' },
];

export interface DnsPanelProps {
  api: LabApi;
  linkOpen: boolean;
  services: ServiceInfo[];
  /** Selects the message of a lookup step in the packet list; resolves to its id, or null when not found. */
  onShowCapture?(target: CaptureTarget): Promise<number | null>;
  /** Finds the messages of several lookup steps without selecting them, in one search: their ids, null where not (yet) found. */
  onFindCapture?(targets: readonly CaptureTarget[]): Promise<Array<number | null>>;
  /** The panel's width in px (kept by the app, which fits the terminal and the details beside it). */
  width: number;
  onWidthChange(px: number): void;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function DnsPanel({ api, linkOpen, services, onShowCapture, onFindCapture, width, onWidthChange }: DnsPanelProps) {
  const [tab, setTab] = useState<DnsTab>('resolver');
  // Tabs stay mounted once opened, so an unsaved zone edit survives a look at the cache.
  const [opened, setOpened] = useState<ReadonlySet<DnsTab>>(new Set(['resolver']));
  const [resolver, setResolver] = useState<{ state: ResolverState; receivedAt: number } | null>(null);
  const [resolverError, setResolverError] = useState<string | null>(null);
  const [lookups, setLookups] = useState<DnsLookup[]>([]);
  const [lookupsError, setLookupsError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  const applyResolver = useCallback((state: ResolverState) => {
    setResolver({ state, receivedAt: Date.now() });
    setResolverError(null);
  }, []);

  useEffect(() => {
    if (!linkOpen) return;
    let live = true;
    api.getResolver().then(
      (s) => live && applyResolver(s),
      (err: unknown) => live && setResolverError(`Could not read the local name server: ${message(err)}`),
    );
    api.listDnsLookups().then(
      (list) => {
        if (!live) return;
        setLookups((current) => mergeLookupList(current, list));
        setLookupsError(null);
      },
      (err: unknown) => live && setLookupsError(`Could not read the lookups: ${message(err)}`),
    );
    const offs = [api.on('resolver', applyResolver), api.on('dnsLookup', (l) => setLookups((list) => mergeLookup(list, l)))];
    return () => {
      live = false;
      for (const off of offs) off();
    };
  }, [api, linkOpen, applyResolver]);

  // The core drops an expired entry when it is next read: read again when the first one runs out.
  useEffect(() => {
    if (!linkOpen || !resolver) return;
    const wait = msUntilFirstExpiry(resolver.state.entries, resolver.receivedAt, Date.now());
    if (wait === null) return;
    let live = true;
    const timer = setTimeout(() => {
      api.getResolver().then(
        (s) => live && applyResolver(s),
        () => {},
      );
    }, wait + EXPIRY_REFRESH_SLACK_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, linkOpen, resolver, applyResolver]);

  const run = async (action: () => Promise<ResolverState>) => {
    setBusy(true);
    setActionError(null);
    try {
      applyResolver(await action());
    } catch (err) {
      setActionError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const select = (id: DnsTab) => {
    setTab(id);
    setOpened((o) => (o.has(id) ? o : new Set([...o, id])));
  };

  const onTabKey = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    if (e.key === 'ArrowRight') select(TABS[(i + 1) % TABS.length].id);
    else if (e.key === 'ArrowLeft') select(TABS[(i + TABS.length - 1) % TABS.length].id);
    else return;
    e.preventDefault();
  };

  const resolverService = resolver ? services.find((s) => s.protocol === DNS_SERVICE_PROTOCOL && s.transport === 'udp' && s.hostname === resolver.state.name) : undefined;

  return (
    <aside className="servers dns-panel" data-testid="dns-panel" aria-label="DNS" style={{ flexBasis: clampDnsPanelWidth(width, window.innerWidth) }}>
      <div className="pane-header">
        <h2>DNS</h2>
        {resolver && <span className="muted">{resolver.state.mode} resolution</span>}
      </div>
      <div className="tabs dns-tabs" role="tablist" aria-label="DNS views" onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            role="tab"
            className="tab"
            id={`dns-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`dns-tabpanel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            data-testid={`dns-tab-${t.id}`}
            title={t.hint}
            onClick={() => select(t.id)}
          >
            {t.title}
            {t.id === 'lookups' && lookups.length > 0 && <span className="dns-tab-count">{lookups.length}</span>}
          </button>
        ))}
      </div>
      <div className="dns-tab-panels">
        <div role="tabpanel" id="dns-tabpanel-resolver" aria-labelledby="dns-tab-resolver" className="dns-tab-panel" hidden={tab !== 'resolver'}>
          <DnsResolverTab
            state={resolver?.state ?? null}
            receivedAt={resolver?.receivedAt ?? 0}
            loadError={resolverError}
            linkOpen={linkOpen}
            busy={busy}
            actionError={actionError}
            service={resolverService}
            onSetMode={(mode: ResolverMode) => void run(() => api.setResolverMode(mode))}
            onFlush={(name) => void run(() => api.flushResolverCache(name))}
          />
        </div>
        {opened.has('lookups') && (
          <div role="tabpanel" id="dns-tabpanel-lookups" aria-labelledby="dns-tab-lookups" className="dns-tab-panel" hidden={tab !== 'lookups'}>
            <DnsLookupsTab lookups={lookups} loadError={lookupsError} linkOpen={linkOpen} onShowCapture={onShowCapture} onFindCapture={onFindCapture} />
          </div>
        )}
        {opened.has('zones') && (
          <div role="tabpanel" id="dns-tabpanel-zones" aria-labelledby="dns-tab-zones" className="dns-tab-panel dns-zones-panel" hidden={tab !== 'zones'}>
            <Suspense fallback={<div className="pane-empty">Loading the zone editor…</div>}>
              <ZoneEditor api={api} />
            </Suspense>
          </div>
        )}
      </div>
      <PanelEdge width={width} onChange={onWidthChange} />
    </aside>
  );
}

/** The panel's right edge: drag it, or focus it and use the arrow keys. */
function PanelEdge({ width, onChange }: { width: number; onChange(px: number): void }) {
  const [dragging, setDragging] = useState(false);
  const start = useRef<{ x: number; width: number } | null>(null);
  const clamped = clampDnsPanelWidth(width, window.innerWidth);
  const move = (e: PointerEvent<HTMLDivElement>) => {
    if (!start.current) return;
    onChange(clampDnsPanelWidth(start.current.width + e.clientX - start.current.x, window.innerWidth));
  };
  return (
    <div
      className={`dns-panel-edge${dragging ? ' dragging' : ''}`}
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the DNS panel"
      aria-valuenow={clamped}
      tabIndex={0}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { x: e.clientX, width: clamped };
        setDragging(true);
        e.preventDefault();
      }}
      onPointerMove={move}
      onPointerUp={(e) => {
        e.currentTarget.releasePointerCapture(e.pointerId);
        start.current = null;
        setDragging(false);
      }}
      onPointerCancel={() => {
        start.current = null;
        setDragging(false);
      }}
      onKeyDown={(e) => {
        const step = e.key === 'ArrowLeft' ? -DNS_PANEL_KEYBOARD_STEP_PX : e.key === 'ArrowRight' ? DNS_PANEL_KEYBOARD_STEP_PX : 0;
        if (step === 0) return;
        e.preventDefault();
        onChange(clampDnsPanelWidth(clamped + step, window.innerWidth));
      }}
    />
  );
}
