// One lookup as the course draws it: the hosts as lanes (requesting host, local name server, root,
// TLD, authoritative), each query and reply an arrow in time order, cache hits marked on the local
// name server's lane, timeouts crossed out. Layout in lib/dns-sequence.ts; this only draws it.

import { useId, useMemo, useRef, type KeyboardEvent } from 'react';
import type { DnsLookup, DnsLookupStep } from '../../shared/dns';
import { useElementWidth } from '../hooks/use-element-width';
import { DNS_ROLE_LABEL, SEQUENCE_LAYOUT, estimateTextWidth, layoutSequence, sequenceFit, type SequenceFont, type SequenceRow, type TextMeasure } from '../lib/dns-sequence';
import { formatStepTime, stepRoute } from '../lib/dns-lookups';

export interface DnsSequenceDiagramProps {
  lookup: DnsLookup;
  /** Shows a step's message in the packet list; absent when the capture cannot be reached. */
  onShowStep?(step: DnsLookupStep): void;
  /** The step whose message the packet list shows now, highlighted. */
  activeStep?: number | null;
}

const MARK_HALF = 7;

/** The fonts of `.dns-seq` in dns-panel.css, as canvas font strings (family from the theme's variables). */
function canvasFonts(): Record<SequenceFont, string> {
  const root = getComputedStyle(document.documentElement);
  const ui = root.getPropertyValue('--font-ui').trim() || 'sans-serif';
  const mono = root.getPropertyValue('--font-mono').trim() || 'monospace';
  return { role: `10px ${ui}`, name: `600 11.5px ${ui}`, address: `10.5px ${mono}`, label: `11px ${mono}` };
}

let sharedMeasure: TextMeasure | null = null;

/** Text widths in the fonts the page really has (they differ between systems), measured on a canvas once each. */
function pageTextMeasure(): TextMeasure {
  if (sharedMeasure) return sharedMeasure;
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return estimateTextWidth;
  const fonts = canvasFonts();
  // Only host names, addresses, role words and one sample of the label font are measured: the world bounds them.
  const cache = new Map<string, number>();
  sharedMeasure = (text, font) => {
    const key = `${font}\n${text}`;
    let w = cache.get(key);
    if (w === undefined) {
      ctx.font = fonts[font];
      w = ctx.measureText(text).width;
      cache.set(key, w);
    }
    return w;
  };
  return sharedMeasure;
}

function stepTitle(row: SequenceRow, clickable: boolean): string {
  const s = row.step;
  const conn = s.connectionId !== undefined ? `\ncapture connection ${s.connectionId}${clickable ? ' (click to show its message in the message list)' : ''}` : '';
  return `${row.n}. ${formatStepTime(s.atMs)}  ${stepRoute(s)}\n${s.summary}${conn}`;
}

export function DnsSequenceDiagram({ lookup, onShowStep, activeStep = null }: DnsSequenceDiagramProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(boxRef);
  const room = Math.max(0, width - 2);
  const layout = useMemo(() => layoutSequence(lookup, room, pageTextMeasure()), [lookup, room]);
  // Even with the headers on two rows the lanes need more room: the picture is drawn a little
  // smaller, or else scrolls sideways, with a second scrollbar above it (the box's own is at the
  // bottom of a tall picture, out of sight) and a line that says so.
  const fit = sequenceFit(layout.width, room);
  const shownWidth = Math.ceil(layout.width * fit.scale);
  const topScrollRef = useRef<HTMLDivElement>(null);
  const id = useId().replace(/:/g, '');
  const L = SEQUENCE_LAYOUT;
  const bottom = layout.height - L.bottomPad / 2;

  const canShow = (row: SequenceRow) => onShowStep !== undefined && row.step.connectionId !== undefined && (row.kind === 'query' || row.kind === 'response');
  const onKey = (e: KeyboardEvent, row: SequenceRow) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onShowStep?.(row.step);
    }
  };

  return (
    <>
      {fit.scrolls && (
        <>
          <div className="dns-seq-wide-note" data-testid="dns-seq-wide-note">
            {layout.lanes.length} hosts do not fit side by side: scroll the picture sideways to see them all →
          </div>
          <div
            className="dns-seq-topscroll"
            ref={topScrollRef}
            aria-hidden="true"
            onScroll={(e) => {
              if (boxRef.current) boxRef.current.scrollLeft = e.currentTarget.scrollLeft;
            }}
          >
            <div style={{ width: shownWidth, height: 1 }} />
          </div>
        </>
      )}
      <div
        className="dns-seq-box"
        ref={boxRef}
        data-testid="dns-seq-box"
        data-scale={fit.scale.toFixed(2)}
        onScroll={(e) => {
          if (topScrollRef.current) topScrollRef.current.scrollLeft = e.currentTarget.scrollLeft;
        }}
      >
        <svg
          className="dns-seq"
          data-testid="dns-sequence"
          width={shownWidth}
          height={Math.ceil(layout.height * fit.scale)}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          role="img"
          aria-label={`Sequence of ${lookup.question}: ${layout.rows.length} steps between ${layout.lanes.map((l) => l.peer.name).join(', ')}`}
        >
          <defs>
            {(['query', 'response', 'timeout'] as const).map((kind) => (
              <marker key={kind} id={`${id}-head-${kind}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
                <path d="M0,1 L9,5 L0,9 z" className={`dns-seq-head dns-seq-${kind}`} />
              </marker>
            ))}
          </defs>
          {layout.lanes.map((lane) => {
            const top = lane.tier * L.staggerDrop;
            return (
              <g key={lane.key} className={`dns-seq-lane dns-seq-lane-${lane.peer.role}`} data-testid="dns-lane" data-name={lane.peer.name} data-tier={lane.tier}>
                <title>{`${lane.peer.name} (${lane.peer.address}): ${DNS_ROLE_LABEL[lane.peer.role]}`}</title>
                <text x={lane.x} y={top + 13} textAnchor="middle" className="dns-seq-role">
                  {DNS_ROLE_LABEL[lane.peer.role]}
                </text>
                <text x={lane.x} y={top + 29} textAnchor="middle" className="dns-seq-name">
                  {lane.peer.name}
                </text>
                <text x={lane.x} y={top + 43} textAnchor="middle" className="dns-seq-addr">
                  {lane.peer.address}
                </text>
                <line x1={lane.x} x2={lane.x} y1={lane.lifelineTop} y2={bottom} className="dns-seq-lifeline" />
              </g>
            );
          })}
          {layout.rows.map((row) => {
            const clickable = canShow(row);
            const active = activeStep === row.n;
            const cls = `dns-seq-step dns-seq-${row.kind}${clickable ? ' dns-seq-clickable' : ''}${active ? ' dns-seq-active' : ''}`;
            const interactive = clickable
              ? {
                  role: 'button',
                  tabIndex: 0,
                  'aria-label': `Step ${row.n}: ${row.step.summary.replace(/\.$/, '')}. Show it in the message list`,
                  onClick: () => onShowStep?.(row.step),
                  onKeyDown: (e: KeyboardEvent) => onKey(e, row),
                }
              : {};
            const mark = row.x1 === row.x2;
            return (
              <g key={row.n} className={cls} data-testid="dns-step" data-kind={row.kind} data-connection={row.step.connectionId} {...interactive}>
                <title>{stepTitle(row, clickable)}</title>
                {row.kind === 'cache-hit' || mark ? (
                  <rect x={row.x1 - MARK_HALF} y={row.y - MARK_HALF} width={MARK_HALF * 2} height={MARK_HALF * 2} rx={3} className="dns-seq-mark" />
                ) : (
                  <>
                    {/* A wide clear stroke makes a thin arrow easy to hit. */}
                    <line x1={row.x1} x2={row.x2} y1={row.y} y2={row.y} className="dns-seq-hit" />
                    <line
                      x1={row.x1}
                      x2={row.kind === 'timeout' ? row.x2 : row.x2 + (row.x2 > row.x1 ? -1 : 1)}
                      y1={row.y}
                      y2={row.y}
                      className="dns-seq-arrow"
                      markerEnd={row.kind === 'timeout' ? undefined : `url(#${id}-head-${row.kind})`}
                    />
                    {row.kind === 'timeout' && (
                      // The asker's end (x2) is where the wait ran out: a cross there.
                      <path d={`M${row.x2 - 5},${row.y - 5} L${row.x2 + 5},${row.y + 5} M${row.x2 + 5},${row.y - 5} L${row.x2 - 5},${row.y + 5}`} className="dns-seq-cross" />
                    )}
                  </>
                )}
                <text x={row.labelX} y={mark ? row.y + 4 : row.y - 7} textAnchor={row.labelAnchor} className="dns-seq-label">
                  {row.label}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
    </>
  );
}
