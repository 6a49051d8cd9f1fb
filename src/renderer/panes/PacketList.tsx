// The packet list: one row per captured message, virtualized, filled live and read back from the
// journal as the user scrolls (PacketStore keeps memory bounded). Column widths follow the content
// (lib/packet-columns.ts) and can be dragged; the header scrolls sideways with the rows.

import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type CSSProperties, type KeyboardEvent, type PointerEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { MessageSummary } from '../../shared/capture';
import { listProtocols } from '../../protocols/registry';
import type { PacketStore } from '../lib/packet-store';
import { parseDisplayFilter } from '../lib/display-filter';
import { filterPlaceholder, unknownProtocolNote } from '../lib/filter-examples';
import { directionLabel, formatSeconds, NO_REPLY_MARKER, pairingMarker } from '../lib/format';
import { type ColumnOverrides, type PacketColumn, type PacketColumnId, PACKET_COLUMNS, columnLayout } from '../lib/packet-columns';

/** Pixel height of a row; matches --row-height in styles.css. */
const ROW_HEIGHT = 22;

/** Rows rendered beyond the visible ones, so fast scrolling shows no blank rows. */
const OVERSCAN_ROWS = 20;

/** Filter text settles this long before the list is filtered again. */
const FILTER_DEBOUNCE_MS = 200;

/** One arrow-key press on a focused column edge widens or narrows the column by this much. */
const COLUMN_KEYBOARD_STEP_PX = 8;

/** The protocols the lab has modules for; the filter's examples and checks use them. */
const PROTOCOL_IDS: readonly string[] = listProtocols().map((m) => m.id);

export interface PacketListProps {
  store: PacketStore;
  selectedId: number | null;
  onSelect(id: number): void;
  /** Scroll this message into view when `token` changes. */
  reveal: { id: number; token: number } | null;
  /** What the list says while the capture is empty. */
  emptyHint: string;
}

export function PacketList({ store, selectedId, onSelect, reveal, emptyHint }: PacketListProps) {
  useSyncExternalStore(store.subscribe, store.getVersion);
  const scrollRef = useRef<HTMLDivElement>(null);
  const headerRef = useRef<HTMLDivElement>(null);
  const [overrides, setOverrides] = useState<ColumnOverrides>({});
  const layout = columnLayout(store.columnExtents, overrides);
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
    // The header sits outside the scrolling rows; it follows them sideways.
    if (headerRef.current) headerRef.current.scrollLeft = el.scrollLeft;
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

  const resizeColumn = (id: PacketColumnId, px: number | null) =>
    setOverrides(({ [id]: _, ...rest }) => (px === null ? rest : { ...rest, [id]: px }));

  const gridVars = { '--packet-columns': layout.template, '--packet-min-width': layout.minWidth } as CSSProperties;

  return (
    <div className="pane" data-testid="packet-list" style={gridVars}>
      <div className="pane-header">
        <h2>Messages</h2>
        <DirectionLegend />
      </div>
      <FilterBox store={store} />
      <div className="packet-header-scroll" ref={headerRef}>
        <div className="packet-grid packet-header" role="row">
          {PACKET_COLUMNS.map((c) => (
            <HeaderCell key={c.id} column={c} onResize={(px) => resizeColumn(c.id, px)} />
          ))}
        </div>
      </div>
      <div className="packet-footer">
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
            <div className="pane-empty" data-testid="packet-list-empty">
              {store.activeFilter ? (store.scanProgress.running ? 'Searching the capture…' : 'No message matches the filter.') : emptyHint}
            </div>
          ) : (
            <div className="packet-canvas" style={{ height: virtualizer.getTotalSize() }}>
              {items.map((item) => {
                const row = store.rowAt(item.index);
                const id = store.idAt(item.index)!;
                return row ? (
                  <PacketRow key={id} row={row} top={item.start} selected={row.id === selectedId} onSelect={onSelect} />
                ) : (
                  <div key={id} className="packet-grid packet-row loading" data-testid="packet-row-loading" style={{ top: item.start }}>
                    <div className="col-num">{id}</div>
                    <div className="col-rest">reading from the journal…</div>
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

/** What the coloured bar at the left of each row means. */
function DirectionLegend() {
  return (
    <span className="dir-legend" data-testid="direction-legend" title="The bar at the left of each row shows which way the message went">
      <span className="dir-swatch dir-swatch-c2s" />
      {directionLabel('c2s')}
      <span className="dir-swatch dir-swatch-s2c" />
      {directionLabel('s2c')}
    </span>
  );
}

function HeaderCell({ column, onResize }: { column: PacketColumn; onResize(px: number | null): void }) {
  const cellRef = useRef<HTMLDivElement>(null);
  const drag = useRef<{ startX: number; startWidth: number } | null>(null);
  const width = () => cellRef.current?.getBoundingClientRect().width ?? 0;

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { startX: e.clientX, startWidth: width() };
    e.preventDefault();
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current) onResize(drag.current.startWidth + e.clientX - drag.current.startX);
  };
  const endDrag = (e: PointerEvent<HTMLDivElement>) => {
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'ArrowLeft') onResize(width() - COLUMN_KEYBOARD_STEP_PX);
    else if (e.key === 'ArrowRight') onResize(width() + COLUMN_KEYBOARD_STEP_PX);
    else if (e.key === 'Home') onResize(null);
    else return;
    e.preventDefault();
  };

  return (
    <div ref={cellRef} className={`col-${column.id}`} role="columnheader" title={column.title}>
      {column.label}
      {column.resizable && (
        <div
          className="col-resizer"
          role="separator"
          aria-orientation="vertical"
          aria-label={`Resize the ${column.label} column`}
          title="Drag to resize; double-click to fit the content again"
          tabIndex={0}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={endDrag}
          onPointerCancel={endDrag}
          onDoubleClick={() => onResize(null)}
          onKeyDown={onKeyDown}
        />
      )}
    </div>
  );
}

function PacketRow({ row, top, selected, onSelect }: { row: MessageSummary; top: number; selected: boolean; onSelect(id: number): void }) {
  const pair = pairingMarker(row);
  const info = row.partial ? `${row.summary} [partial]` : row.summary;
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
      <div className="col-num" title={`#${row.id}: ${directionLabel(row.dir)}`}>
        {row.id}
      </div>
      <div className="col-time">{formatSeconds(row.t)}</div>
      <div className="col-source" title={row.source}>
        {row.source}
      </div>
      <div className="col-destination" title={row.destination}>
        {row.destination}
      </div>
      <div className="col-protocol">{row.protocol.toUpperCase()}</div>
      <div className="col-length">{row.length}</div>
      <div className={`col-pair${pair === NO_REPLY_MARKER ? ' no-reply' : ''}`} title={pairTitle(row)}>
        {pair}
      </div>
      <div className="col-info" title={info}>
        {info}
      </div>
    </div>
  );
}

function pairTitle(row: MessageSummary): string | undefined {
  if (row.responseTo !== undefined) return `the response to request #${row.responseTo}`;
  if (row.answeredBy !== undefined) return `answered by #${row.answeredBy}`;
  if (row.noReply) return 'no reply: the connection ended before a response to this request came';
  return undefined;
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
  const note = parsed.ok ? unknownProtocolNote(parsed.filter, PROTOCOL_IDS) : null;
  if (!parsed.ok) status = parsed.error;
  else if (active) {
    status = `${store.rowCount} match${store.rowCount === 1 ? '' : 'es'}`;
    if (progress.running || progress.checked < progress.total) status += ` (searched ${progress.checked} of ${progress.total})`;
  } else status = `${store.totalMessages} message${store.totalMessages === 1 ? '' : 's'}`;
  if (note) status += ` · ${note}`;

  return (
    <div className="filter-bar">
      <input
        type="search"
        aria-label="Display filter"
        data-testid="packet-filter"
        placeholder={filterPlaceholder(PROTOCOL_IDS)}
        value={text}
        spellCheck={false}
        className={text.trim() === '' ? '' : parsed.ok ? 'valid' : 'invalid'}
        onChange={(e) => setText(e.target.value)}
      />
      <span className={`filter-status${parsed.ok ? (note ? ' warn-text' : '') : ' error-text'}`} role="status" title={status}>
        {status}
      </span>
    </div>
  );
}
