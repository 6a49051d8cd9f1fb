// The bytes pane: offset, hex and ASCII, 16 bytes a row (8 in a narrow pane), with the selected
// field's bytes lit up. Clicking a byte selects the deepest field that covers it. Virtualized: a
// message of megabytes renders only the rows on screen.

import { useEffect, useRef, type MouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useElementWidth } from '../hooks/use-element-width';
import { HEX_GROUP_SIZE, type ByteRange, bytesPerRowFor, formatOffset, hexRow, hexRowCount, inRange, offsetDigits, rowOfOffset } from '../lib/hex-dump';

const HEX_ROW_HEIGHT = 20;
const HEX_OVERSCAN_ROWS = 10;

/** Font size of `.hex-scroll` in styles.css. */
const HEX_FONT_PX = 12;

let monoChPx: number | null = null;

/** Width of one character of the page's monospace font at the dump's size, measured once. */
function hexCharWidth(): number {
  if (monoChPx !== null) return monoChPx;
  const ctx = document.createElement('canvas').getContext('2d');
  const mono = getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim() || 'monospace';
  if (!ctx) return 0;
  ctx.font = `${HEX_FONT_PX}px ${mono}`;
  monoChPx = ctx.measureText('0123456789').width / 10;
  return monoChPx;
}

export interface BytesPaneProps {
  bytes: Uint8Array | null;
  highlight: ByteRange | null;
  onByteClick(offset: number): void;
  /** Shown when there are no bytes. */
  emptyText: string;
}

export function BytesPane({ bytes, highlight, onByteClick, emptyText }: BytesPaneProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const paneRef = useRef<HTMLDivElement>(null);
  const paneWidth = useElementWidth(paneRef);
  const length = bytes?.length ?? 0;
  const digits = offsetDigits(length);
  const perRow = bytesPerRowFor(paneWidth, digits, hexCharWidth());
  const virtualizer = useVirtualizer({
    count: hexRowCount(length, perRow),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => HEX_ROW_HEIGHT,
    overscan: HEX_OVERSCAN_ROWS,
  });

  useEffect(() => {
    if (highlight && highlight.end > highlight.start) virtualizer.scrollToIndex(rowOfOffset(highlight.start, perRow), { align: 'auto' });
  }, [highlight, virtualizer, perRow]);

  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const target = (e.target as HTMLElement).closest<HTMLElement>('[data-offset]');
    if (target) onByteClick(Number(target.dataset.offset));
  };

  return (
    <div className="pane" data-testid="bytes-pane" data-bytes-per-row={perRow} ref={paneRef}>
      <div className="pane-header">
        <h2>Bytes</h2>
        {bytes && (
          <span>
            {length} byte{length === 1 ? '' : 's'}
            {highlight && highlight.end > highlight.start && ` · selected ${highlight.start}–${highlight.end - 1} (${highlight.end - highlight.start})`}
          </span>
        )}
      </div>
      {!bytes || length === 0 ? (
        <div className="pane-empty">{bytes ? 'The message has no bytes.' : emptyText}</div>
      ) : (
        <div className="hex-scroll" ref={scrollRef} onClick={onClick} role="grid" aria-label="Message bytes">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: 'max-content' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = hexRow(bytes, item.index, perRow);
              return (
                <div key={item.index} className="hex-row" style={{ top: item.start }} data-testid="hex-row">
                  <span className="hex-offset">{formatOffset(row.offset, digits)}</span>
                  <span className="hex-bytes">
                    {row.cells.map((c, i) => (
                      <span key={c.index} data-offset={c.index} className={`hex-byte${i === HEX_GROUP_SIZE ? ' group-gap' : ''}${inRange(highlight, c.index) ? ' on' : ''}`}>
                        {c.hex}
                      </span>
                    ))}
                    {Array.from({ length: perRow - row.cells.length }, (_, i) => (
                      <span key={`pad${i}`} className={`hex-byte hex-pad${row.cells.length + i === HEX_GROUP_SIZE ? ' group-gap' : ''}`} />
                    ))}
                  </span>
                  <span className="hex-ascii">
                    {row.cells.map((c) => (
                      <span key={c.index} data-offset={c.index} className={`hex-char${c.ascii === '.' && bytes[c.index] !== 0x2e ? ' dot' : ''}${inRange(highlight, c.index) ? ' on' : ''}`}>
                        {c.ascii}
                      </span>
                    ))}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
