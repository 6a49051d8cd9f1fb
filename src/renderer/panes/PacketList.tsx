// The packet list: one row per captured message, virtualized, filled live and read back from the
// journal as the user scrolls (PacketStore keeps memory bounded).

import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { MessageSummary } from '../../shared/capture';
import type { PacketStore } from '../lib/packet-store';
import { parseDisplayFilter } from '../lib/display-filter';
import { formatSeconds, pairingMarker } from '../lib/format';

/** Pixel height of a row; matches --row-height in styles.css. */
const ROW_HEIGHT = 22;

/** Rows rendered beyond the visible ones, so fast scrolling shows no blank rows. */
const OVERSCAN_ROWS = 20;

/** Filter text settles this long before the list is filtered again. */
const FILTER_DEBOUNCE_MS = 200;

export interface PacketListProps {
  store: PacketStore;
  selectedId: number | null;
  onSelect(id: number): void;
  /** Scroll this message into view when `token` changes. */
  reveal: { id: number; token: number } | null;
}

export function PacketList({ store, selectedId, onSelect, reveal }: PacketListProps) {
  useSyncExternalStore(store.subscribe, store.getVersion);
  const scrollRef = useRef<HTMLDivElement>(null);
  const followRef = useRef(true);
  const [following, setFollowing] = useState(true);
  const count = store.rowCount;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN_ROWS,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    if (lastIndex >= firstIndex) store.ensureRows(firstIndex, lastIndex);
  }, [store, firstIndex, lastIndex, store.getVersion()]);

  // Stay at the newest message while the user is at the bottom.
  useLayoutEffect(() => {
    if (followRef.current && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [count, virtualizer]);

  useEffect(() => {
    if (!reveal) return;
    const index = store.indexOfId(reveal.id);
    if (index < 0) return;
    // If this scrolls away from the bottom, onScroll stops following.
    virtualizer.scrollToIndex(index, { align: 'center' });
  }, [reveal, store, virtualizer]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT;
    followRef.current = atBottom;
    if (atBottom !== following) setFollowing(atBottom);
  };

  const jumpToLatest = () => {
    followRef.current = true;
    setFollowing(true);
    if (count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (count === 0) return;
    const current = selectedId === null ? -1 : store.indexOfId(selectedId);
    let next: number;
    if (e.key === 'ArrowDown') next = Math.min(count - 1, current + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, current < 0 ? count - 1 : current - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = count - 1;
    else return;
    e.preventDefault();
    const id = store.idAt(next);
    if (id === undefined) return;
    onSelect(id);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  return (
    <div className="pane" data-testid="packet-list">
      <div className="pane-header">
        <h2>Messages</h2>
        <FilterBox store={store} />
      </div>
      <div className="packet-grid packet-header" role="row">
        <div className="col-num">No.</div>
        <div className="col-time">Time</div>
        <div>Source</div>
        <div>Destination</div>
        <div>Protocol</div>
        <div className="col-len">Length</div>
        <div>Info</div>
      </div>
      <div className="packet-footer" style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        <div
          className="packet-scroll"
          ref={scrollRef}
          onScroll={onScroll}
          tabIndex={0}
          role="grid"
          aria-label="Captured messages"
          aria-rowcount={count}
          onKeyDown={onKeyDown}
        >
          {count === 0 ? (
            <div className="pane-empty">
              {store.activeFilter
                ? store.scanProgress.running
                  ? 'Searching the capture…'
                  : 'No message matches the filter.'
                : 'No messages yet. Connect somewhere in the terminal, e.g. open gaia.cs.umass.edu 7, and type a line.'}
            </div>
          ) : (
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((item) => {
                const row = store.rowAt(item.index);
                const id = store.idAt(item.index)!;
                return row ? (
                  <PacketRow key={id} row={row} top={item.start} selected={row.id === selectedId} onSelect={onSelect} />
                ) : (
                  <div key={id} className="packet-grid packet-row loading" data-testid="packet-row-loading" style={{ top: item.start }}>
                    <div className="col-num">{id}</div>
                    <div />
                    <div>reading from the journal…</div>
                  </div>
                );
              })}
            </div>
          )}
        </div>
        {!following && count > 0 && virtualizer.getTotalSize() > (scrollRef.current?.clientHeight ?? 0) && (
          <button className="follow-button" onClick={jumpToLatest} title="Scroll to the newest message and keep following">
            ↓ Latest
          </button>
        )}
      </div>
      {store.error && <div className="banner banner-error">{store.error}</div>}
    </div>
  );
}

function PacketRow({ row, top, selected, onSelect }: { row: MessageSummary; top: number; selected: boolean; onSelect(id: number): void }) {
  const pair = pairingMarker(row);
  return (
    <div
      className={`packet-grid packet-row dir-${row.dir}${selected ? ' selected' : ''}${row.partial ? ' partial' : ''}`}
      style={{ top }}
      data-testid="packet-row"
      data-id={row.id}
      role="row"
      aria-selected={selected}
      onMouseDown={() => onSelect(row.id)}
    >
      <div className="col-num">{row.id}</div>
      <div className="col-time">{formatSeconds(row.t)}</div>
      <div title={row.source}>{row.source}</div>
      <div title={row.destination}>{row.destination}</div>
      <div className="col-proto">{row.protocol.toUpperCase()}</div>
      <div className="col-len">{row.length}</div>
      <div className="col-info" title={row.summary}>
        {pair && <span className="pair">{pair}</span>}
        {row.summary}
        {row.partial && ' [partial]'}
      </div>
    </div>
  );
}

function FilterBox({ store }: { store: PacketStore }) {
  const [text, setText] = useState('');
  const parsed = parseDisplayFilter(text);

  useEffect(() => {
    const settled = parseDisplayFilter(text);
    if (!settled.ok) return;
    const timer = setTimeout(() => store.setFilter(settled.filter), FILTER_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, store]);

  const active = store.activeFilter;
  const progress = store.scanProgress;
  let status = '';
  if (!parsed.ok) status = parsed.error;
  else if (active) {
    status = `${store.rowCount} match${store.rowCount === 1 ? '' : 'es'}`;
    if (progress.running || progress.checked < progress.total) status += ` (searched ${progress.checked} of ${progress.total})`;
  } else status = `${store.totalMessages} message${store.totalMessages === 1 ? '' : 's'}`;

  return (
    <div className="filter-bar" style={{ flex: 1, border: 'none', padding: 0 }}>
      <input
        type="search"
        aria-label="Display filter"
        data-testid="packet-filter"
        placeholder='Filter: echo · proto:http · "MAIL FROM" · !daytime'
        value={text}
        spellCheck={false}
        className={text.trim() === '' ? '' : parsed.ok ? 'valid' : 'invalid'}
        onChange={(e) => setText(e.target.value)}
      />
      <span className={`filter-status${parsed.ok ? '' : ' error-text'}`} role="status">
        {status}
      </span>
    </div>
  );
}
