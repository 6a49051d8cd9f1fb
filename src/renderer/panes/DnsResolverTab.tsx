// The local name server: where it is, which scheme it follows (iterative or recursive), what it
// did, and its cache with each RRset's TTL counting down every second; flush all or one name.

import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ResolverCacheEntry, ResolverMode, ResolverState } from '../../shared/dns';
import { MAX_RESOLVER_STATE_ENTRIES, RESOLVER_MODES, formatCacheHits } from '../../shared/dns';
import type { ServiceInfo } from '../../shared/lab-api';
import { useNow } from '../hooks/use-now';
import { RESOLVER_MODE_TEXT, checkFlushName, describeTtl, entryCountsByName, entryRecordsText, entryRecordsTitle, formatTtl, sortedCacheEntries, ttlAt } from '../lib/dns-cache-view';
import { formatHostPort } from '../lib/format';
import { nameKey } from '../../protocols/dns/names';

/**
 * Pixel height of a cache row; matches .dns-cache-row in dns-panel.css. Two lines: the name and
 * its numbers, then the records and the server they came from, which get the row's whole width.
 */
const CACHE_ROW_HEIGHT = 40;

/** Rows rendered beyond the visible ones, so scrolling shows no blank rows. */
const CACHE_OVERSCAN_ROWS = 12;

/** The TTLs tick once a second. */
const TTL_TICK_MS = 1000;

export interface DnsResolverTabProps {
  state: ResolverState | null;
  /** When `state` arrived (ms since the epoch): the TTLs count down from there. */
  receivedAt: number;
  loadError: string | null;
  linkOpen: boolean;
  busy: boolean;
  actionError: string | null;
  /** The resolver's UDP service in the servers list, for where it really listens. */
  service: ServiceInfo | undefined;
  onSetMode(mode: ResolverMode): void;
  onFlush(name: string | null): void;
}

export function DnsResolverTab({ state, receivedAt, loadError, linkOpen, busy, actionError, service, onSetMode, onFlush }: DnsResolverTabProps) {
  const now = useNow(state !== null && state.entries.length > 0, TTL_TICK_MS);
  const [flushName, setFlushName] = useState('');
  const [flushError, setFlushError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const disabled = busy || !linkOpen || state === null;
  // Sorted once per state or filter, not at every tick of the TTLs.
  const entries = useMemo(() => (state ? sortedCacheEntries(state.entries, filter) : []), [state, filter]);

  if (!state) {
    return <div className="dns-tab pane-empty">{loadError ?? (linkOpen ? 'Loading the local name server…' : 'Waiting for the lab core…')}</div>;
  }

  const s = state.stats;
  const listensAt = service ? formatHostPort(service.address, service.port) : `port ${state.port}`;

  const submitFlush = () => {
    const checked = checkFlushName(flushName);
    if (!checked.ok) {
      setFlushError(checked.error);
      return;
    }
    setFlushError(null);
    onFlush(checked.name);
    setFlushName('');
  };

  return (
    <div className="dns-tab dns-resolver" data-testid="dns-resolver-tab">
      <section className="dns-section" aria-label="Local name server">
        <div className="service-head">
          <span className="service-host">{state.name}</span>
          <span className="service-proto">local name server</span>
        </div>
        <div className="service-addrs" title="Address in the lab world, and where the name server really listens on this machine (UDP and TCP)">
          {formatHostPort(state.address, 53)} → {listensAt} (UDP and TCP)
        </div>
        <p className="dns-help">
          Every client of the lab asks this server first. Point a DNS client at it, e.g. <code>dig @{service?.address ?? '127.0.0.1'} -p {state.port} gaia.cs.umass.edu</code>,
          then see what it asked whom in Lookups.
        </p>
      </section>

      <section className="dns-section" aria-label="Resolution scheme">
        <div className="dns-section-head">
          <span className="dns-section-title">Resolution</span>
        </div>
        <div className="dns-modes" role="radiogroup" aria-label="How the local name server resolves a name">
          {RESOLVER_MODES.map((mode) => {
            const on = state.mode === mode;
            return (
              <button
                key={mode}
                role="radio"
                aria-checked={on}
                className={`dns-mode${on ? ' on' : ''}`}
                data-testid={`resolver-mode-${mode}`}
                disabled={disabled && !on}
                onClick={() => !on && onSetMode(mode)}
              >
                <span className="dns-mode-title">{RESOLVER_MODE_TEXT[mode].title}</span>
                <span className="dns-mode-text">{RESOLVER_MODE_TEXT[mode].sentence}</span>
              </button>
            );
          })}
        </div>
      </section>

      <section className="dns-section" aria-label="Statistics" data-testid="dns-stats">
        <dl className="dns-stats">
          <dt title="Questions clients asked this server">Client queries</dt>
          <dd>{s.queries}</dd>
          <dt title="Answered without asking any other server">From the cache</dt>
          <dd data-testid="dns-cache-hits">{formatCacheHits(s)}</dd>
          <dt title="Queries sent to the root, TLD and authoritative servers">Queries upstream</dt>
          <dd>{s.upstreamQueries}</dd>
          <dt title="Upstream queries with no usable reply: a timeout, or a reply with the wrong ID, source or question">Upstream failures</dt>
          <dd className={s.upstreamFailures > 0 ? 'dns-bad' : undefined}>{s.upstreamFailures}</dd>
        </dl>
      </section>

      <section className="dns-section dns-cache-section" aria-label="Cache" data-testid="dns-cache">
        <div className="dns-section-head">
          <span className="dns-section-title">Cache</span>
          <span className="muted">
            {state.entries.length}
            {state.truncated ? `+ (the first ${MAX_RESOLVER_STATE_ENTRIES} shown)` : ''} RRset{state.entries.length === 1 ? '' : 's'}
          </span>
          <span className="spacer" />
          <input className="dns-filter" type="search" placeholder="Filter names" aria-label="Filter cached names" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <button data-testid="dns-flush-all" disabled={disabled || state.entries.length === 0} onClick={() => onFlush(null)} title="Forget every cached record and every remembered absence">
            Flush all
          </button>
        </div>
        <form
          className="dns-flush-form"
          onSubmit={(e) => {
            e.preventDefault();
            submitFlush();
          }}
        >
          <input
            data-testid="dns-flush-name"
            placeholder="name to flush, e.g. gaia.cs.umass.edu"
            aria-label="Name to flush"
            value={flushName}
            disabled={disabled}
            onChange={(e) => {
              setFlushName(e.target.value);
              setFlushError(null);
            }}
          />
          <button type="submit" disabled={disabled || flushName.trim() === ''} title="Forget every entry of this owner name (all its types)">
            Flush name
          </button>
        </form>
        {(flushError ?? actionError) && <div className="service-error">{flushError ?? actionError}</div>}
        <CacheTable entries={entries} allEntries={state.entries} receivedAt={receivedAt} now={now} disabled={disabled} onFlush={onFlush} emptyText={state.entries.length === 0 ? 'The cache is empty: the next question goes to the servers.' : 'No cached name contains that text.'} />
      </section>
    </div>
  );
}

interface CacheTableProps {
  entries: ResolverCacheEntry[];
  allEntries: ResolverCacheEntry[];
  receivedAt: number;
  now: number;
  disabled: boolean;
  onFlush(name: string): void;
  emptyText: string;
}

/** Every entry as a row of two lines; only the rows in view are in the page (the cache may hold thousands). */
function CacheTable({ entries, allEntries, receivedAt, now, disabled, onFlush, emptyText }: CacheTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => CACHE_ROW_HEIGHT,
    overscan: CACHE_OVERSCAN_ROWS,
  });
  const counts = useMemo(() => entryCountsByName(allEntries), [allEntries]);
  return (
    <div className="dns-cache-table" role="table" aria-label="Cached RRsets" aria-rowcount={entries.length + 1}>
      <div className="dns-cache-row dns-cache-header" role="row">
        <span role="columnheader">Name</span>
        <span role="columnheader">Type</span>
        <span role="columnheader" className="num" title="Seconds left before the entry expires, counting down">
          TTL s
        </span>
        <span role="columnheader" className="num" title="The TTL it was stored with, in seconds">
          Orig.
        </span>
        <span role="columnheader" className="num" title="Questions this entry answered">
          Hits
        </span>
        <span role="columnheader" aria-label="Flush" />
        <span className="dns-cache-line2">
          <span role="columnheader" className="dns-cache-records">
            Records
          </span>
          <span role="columnheader" className="dns-cache-from" title="The server whose reply they came in">
            from
          </span>
        </span>
      </div>
      <div className="dns-cache-scroll" ref={scrollRef}>
        {entries.length === 0 && <div className="muted dns-empty">{emptyText}</div>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const e = entries[item.index];
            const ttl = ttlAt(e.ttlLeft, receivedAt, now);
            const negative = e.kind !== 'positive';
            const records = entryRecordsText(e);
            const count = counts.get(nameKey(e.name)) ?? 1;
            return (
              <div
                key={`${e.name}|${e.type}|${e.kind}`}
                role="row"
                className={`dns-cache-row${negative ? ' dns-negative' : ''}${ttl === 0 ? ' dns-expired' : ''}`}
                data-testid="dns-cache-entry"
                data-name={e.name}
                data-type={e.type}
                data-kind={e.kind}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: CACHE_ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                <span role="cell" className="dns-mono dns-cut" title={e.name}>
                  {e.name}
                </span>
                <span role="cell" className="dns-mono" title={e.type === '*' ? 'every type: the name itself does not exist' : undefined}>
                  {e.type}
                </span>
                <span role="cell" className="num dns-mono" data-testid="dns-ttl" title={describeTtl(ttl)}>
                  {formatTtl(ttl)}
                </span>
                <span role="cell" className="num dns-mono muted">
                  {e.ttlOriginal}
                </span>
                <span role="cell" className="num dns-mono">
                  {e.hits}
                </span>
                <span role="cell">
                  <button className="dns-row-flush" disabled={disabled} onClick={() => onFlush(e.name)} title={`Flush ${e.name} (${count} entr${count === 1 ? 'y' : 'ies'})`} aria-label={`Flush ${e.name}`}>
                    ×
                  </button>
                </span>
                <span className="dns-cache-line2">
                  <span role="cell" className="dns-cut dns-cache-records" title={entryRecordsTitle(e)}>
                    {negative && <span className="dns-neg-badge">negative</span>}
                    <span className="dns-mono">{records}</span>
                  </span>
                  <span role="cell" className="dns-cut dns-cache-from" title={`from ${e.source}`}>
                    from {e.source}
                  </span>
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
