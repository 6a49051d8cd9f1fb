// The lab's one window: servers on the side, terminals (and Compose) over the packet list on the
// left, the selected message's details over its bytes on the right, a status bar below. The DNS
// panel takes the side instead of the servers and web cache panels while it is open.

import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { LabSnapshot, ServiceInfo } from '../shared/lab-api';
import type { LabBridge } from './bridge';
import { Split } from './components/Splitter';
import { useBridgeStatus } from './hooks/use-bridge-status';
import { useDissection } from './hooks/use-dissection';
import { useElementWidth } from './hooks/use-element-width';
import { useNow } from './hooks/use-now';
import { ancestorKeys, deepestPathAt, defaultExpandedKeys, nodeAtPath, nodeRange, parsePathKey, pathKey } from './lib/field-tree';
import { type CaptureTarget, findCaptureMessage, findCaptureMessages } from './lib/dns-capture-link';
import { linkBanner } from './lib/link-text';
import { PacketStore } from './lib/packet-store';
import { emptyCaptureHint } from './lib/services';
import { DETAILS_DEFAULT_MAX_SHARE, DETAILS_DEFAULT_WIDTH_PX, MAX_SPLIT_FRACTION, SPLITTER_PX, fractionForSecondWidth, secondWidthForFraction } from './lib/split';
import { DNS_PANEL_DEFAULT_WIDTH_PX, type SidePanels, detailsWidthBesideDnsPanel, sidePanelsOnDnsClose, sidePanelsOnDnsOpen } from './lib/dns-panel-layout';
import { TerminalRouter } from './lib/terminal-router';
import { throttle } from './lib/throttle';
import { BytesPane } from './panes/BytesPane';
import { DetailsTree } from './panes/DetailsTree';
import { DnsPanel } from './panes/DnsPanel';
import { PacketList } from './panes/PacketList';
import { ServersPanel } from './panes/ServersPanel';
import { WebCachePanel } from './panes/WebCachePanel';
import { StatusBar } from './panes/StatusBar';
import { TerminalTabs } from './panes/TerminalTabs';

/** Capture totals in the status bar are refreshed from a snapshot at most this often while traffic flows (the first batch after a quiet spell at once). */
const STATS_REFRESH_MS = 500;

export function App({ bridge }: { bridge: LabBridge }) {
  const api = bridge.api;
  const status = useBridgeStatus(bridge);
  const store = useMemo(() => new PacketStore(api), [api]);
  const router = useMemo(() => new TerminalRouter(), []);
  const [snapshot, setSnapshot] = useState<LabSnapshot | null>(null);
  const [services, setServices] = useState<ServiceInfo[]>([]);
  const [snapshotError, setSnapshotError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [reveal, setReveal] = useState<{ id: number; token: number } | null>(null);
  const [serversOpen, setServersOpen] = useState(true);
  const [webCacheOpen, setWebCacheOpen] = useState(false);
  const [dnsOpen, setDnsOpen] = useState(false);
  const [dnsWidth, setDnsWidth] = useState(DNS_PANEL_DEFAULT_WIDTH_PX);
  // What the DNS panel put away when it opened, brought back when it closes.
  const panelsBeforeDns = useRef<SidePanels | null>(null);
  const toggleDns = useCallback(() => {
    const shown = { servers: serversOpen, webCache: webCacheOpen };
    let next: SidePanels;
    if (dnsOpen) {
      next = sidePanelsOnDnsClose(shown, panelsBeforeDns.current);
      panelsBeforeDns.current = null;
    } else {
      const opened = sidePanelsOnDnsOpen(shown);
      panelsBeforeDns.current = opened.remembered;
      next = opened.shown;
    }
    setServersOpen(next.servers);
    setWebCacheOpen(next.webCache);
    setDnsOpen(!dnsOpen);
  }, [dnsOpen, serversOpen, webCacheOpen]);
  // The right half keeps its width in pixels, so hiding the servers panel or widening the
  // window gives the room to the terminal and the message list; null until the student drags.
  const mainRef = useRef<HTMLDivElement>(null);
  const mainWidth = useElementWidth(mainRef);
  const [detailsWidth, setDetailsWidth] = useState<number | null>(null);
  // Beside the DNS panel the details give way (down to a floor) so the terminal keeps ~80 columns.
  const detailsPx = detailsWidth ?? (dnsOpen ? detailsWidthBesideDnsPanel(mainWidth, DETAILS_DEFAULT_WIDTH_PX, SPLITTER_PX) : DETAILS_DEFAULT_WIDTH_PX);
  const detailsMaxShare = detailsWidth === null ? DETAILS_DEFAULT_MAX_SHARE : MAX_SPLIT_FRACTION;
  const onMainSplit = useCallback((f: number) => {
    const width = mainRef.current?.getBoundingClientRect().width ?? 0;
    if (width > 0) setDetailsWidth(secondWidthForFraction(f, width));
  }, []);
  const [leftSplit, setLeftSplit] = useState(0.5);
  const [rightSplit, setRightSplit] = useState(0.66);
  const linkOpen = status.state === 'open';
  const now = useNow(status.state === 'down');

  const refreshSnapshot = useCallback(() => {
    api.getSnapshot().then(
      (snap) => {
        setSnapshot(snap);
        setServices(snap.services);
        setSnapshotError(null);
        store.noteTotal(snap.capture.totalMessages);
      },
      (err: unknown) => setSnapshotError(`could not read the lab's state: ${err instanceof Error ? err.message : String(err)}`),
    );
  }, [api, store]);

  useEffect(() => {
    const stats = throttle(refreshSnapshot, STATS_REFRESH_MS);
    const offs = [
      api.on('services', (list) => setServices(list)),
      api.on('capture', (batch) => {
        store.applyBatch(batch);
        stats.call();
      }),
      api.on('terminal', ({ terminalId, data }) => router.deliver(terminalId, data)),
    ];
    return () => {
      for (const off of offs) off();
      stats.cancel();
    };
  }, [api, store, router, refreshSnapshot]);

  // Each time the link (re)opens, start from the core's state.
  useEffect(() => {
    if (!linkOpen) return;
    store.reset();
    refreshSnapshot();
  }, [linkOpen, status.epoch, store, refreshSnapshot]);

  const dissection = useDissection(api, selectedId, status.epoch, snapshot?.hosts);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const nodes = dissection.status === 'ready' ? dissection.dissection.nodes : null;

  useEffect(() => {
    setExpanded(nodes ? defaultExpandedKeys(nodes) : new Set());
    setSelectedKey(null);
  }, [nodes]);

  const selectedNode = nodes && selectedKey !== null ? nodeAtPath(nodes, parsePathKey(selectedKey)) : null;
  const highlight = selectedNode ? nodeRange(selectedNode) : null;

  const selectMessage = useCallback((id: number, revealInList = false) => {
    setSelectedId(id);
    if (revealInList) setReveal((r) => ({ id, token: (r?.token ?? 0) + 1 }));
  }, []);

  const toggle = useCallback((key: string) => {
    setExpanded((e) => {
      const next = new Set(e);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);

  const selectNode = useCallback((path: number[] | null) => {
    if (!path) {
      setSelectedKey(null);
      return;
    }
    setExpanded((e) => {
      const missing = ancestorKeys(path).filter((k) => !e.has(k));
      return missing.length === 0 ? e : new Set([...e, ...missing]);
    });
    setSelectedKey(pathKey(path));
  }, []);

  const onByteClick = useCallback(
    (offset: number) => {
      if (!nodes) return;
      selectNode(deepestPathAt(nodes, offset));
    },
    [nodes, selectNode],
  );

  // A lookup step's message (the resolution view's arrows): found in the list's rows, or read back.
  const showCapture = useCallback(
    async (target: CaptureTarget) => {
      const found = await findCaptureMessage(store, api, target);
      if (found) selectMessage(found.id, true);
      return found?.id ?? null;
    },
    [store, api, selectMessage],
  );

  // The same search without selecting, for a lookup's steps at once: the step list names each step's message by its number.
  const findCapture = useCallback(async (targets: readonly CaptureTarget[]) => (await findCaptureMessages(store, api, targets)).map((m) => m?.id ?? null), [store, api]);

  const updateService = useCallback((updated: ServiceInfo) => {
    setServices((list) => list.map((s) => (s.id === updated.id ? updated : s)));
  }, []);

  const banner = linkBanner(status, now);
  // The selected request's answer (or that none will come) may arrive after its details were loaded.
  const liveRow = useSyncExternalStore(store.subscribe, () => (selectedId !== null ? store.getById(selectedId) : undefined));

  return (
    <div className="app">
      <header className="app-header">
        <span className="app-title">
          Protolab<small>application-layer lab</small>
        </span>
        <button aria-pressed={serversOpen} onClick={() => setServersOpen((o) => !o)} title="Show or hide the servers panel">
          {serversOpen ? 'Hide servers' : 'Show servers'}
        </button>
        <button aria-pressed={webCacheOpen} onClick={() => setWebCacheOpen((o) => !o)} title="Show or hide the web cache and its access link">
          {webCacheOpen ? 'Hide web cache' : 'Web cache'}
        </button>
        <button
          aria-pressed={dnsOpen}
          onClick={toggleDns}
          title="Show or hide the local name server, its cache, the lookups it made and the zone files (the servers and web cache panels make room while it is open)"
        >
          {dnsOpen ? 'Hide DNS' : 'DNS'}
        </button>
        <span className="spacer" />
        {snapshot && <span className="muted">port offset {snapshot.portOffset}</span>}
      </header>
      {banner && (
        <div className={`banner banner-${banner.kind}`} role="alert" data-testid="link-banner">
          {banner.text}
        </div>
      )}
      {snapshotError && linkOpen && (
        <div className="banner banner-error" role="alert">
          {snapshotError}
          <button onClick={refreshSnapshot}>Try again</button>
        </div>
      )}
      <main className="app-main">
        {serversOpen && <ServersPanel api={api} services={services} hosts={snapshot?.hosts} linkOpen={linkOpen} onUpdate={updateService} />}
        {webCacheOpen && <WebCachePanel api={api} linkOpen={linkOpen} />}
        {dnsOpen && <DnsPanel api={api} linkOpen={linkOpen} services={services} onShowCapture={showCapture} onFindCapture={findCapture} width={dnsWidth} onWidthChange={setDnsWidth} />}
        <div className="main-split" ref={mainRef}>
          <Split
            orientation="vertical"
            fraction={fractionForSecondWidth(detailsPx, mainWidth, detailsMaxShare)}
            onChange={onMainSplit}
            secondPx={detailsPx}
            secondMaxShare={detailsMaxShare}
            label="Resize the left and right halves"
            first={
              <Split
                orientation="horizontal"
                fraction={leftSplit}
                onChange={setLeftSplit}
                label="Resize the terminals and the message list"
                first={<TerminalTabs api={api} router={router} link={status} />}
                second={<PacketList store={store} selectedId={selectedId} onSelect={selectMessage} reveal={reveal} emptyHint={emptyCaptureHint(services)} />}
              />
            }
            second={
              <Split
                orientation="horizontal"
                fraction={rightSplit}
                onChange={setRightSplit}
                label="Resize the details and the bytes"
                first={
                  <DetailsTree
                    state={dissection}
                    liveRow={liveRow}
                    expanded={expanded}
                    onToggle={toggle}
                    selectedKey={selectedKey}
                    onSelectNode={selectNode}
                    onSelectMessage={(id) => selectMessage(id, true)}
                  />
                }
                second={
                  <BytesPane
                    bytes={dissection.status === 'ready' ? dissection.dissection.bytes : null}
                    highlight={highlight}
                    onByteClick={onByteClick}
                    emptyText={dissection.status === 'loading' ? 'Loading…' : 'The selected message’s bytes appear here.'}
                  />
                }
              />
            }
          />
        </div>
      </main>
      <StatusBar bridge={bridge} status={status} snapshot={snapshot} store={store} now={now} />
    </div>
  );
}
