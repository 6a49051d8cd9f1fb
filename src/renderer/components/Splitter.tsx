// A draggable bar between two panes. `vertical` bars split a row (left | right), `horizontal`
// bars split a column (top / bottom). The parent owns the fraction; the bar only reports moves.

import { useRef, useState, type CSSProperties, type KeyboardEvent, type PointerEvent } from 'react';
import { MAX_SPLIT_FRACTION, SPLIT_KEYBOARD_STEP, clampFraction, fractionAt } from '../lib/split';

export interface SplitterProps {
  orientation: 'vertical' | 'horizontal';
  fraction: number;
  onChange(fraction: number): void;
  label: string;
}

export function Splitter({ orientation, fraction, onChange, label }: SplitterProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState(false);
  const vertical = orientation === 'vertical';

  const move = (e: PointerEvent<HTMLDivElement>) => {
    const container = ref.current?.parentElement;
    if (!container) return;
    const rect = container.getBoundingClientRect();
    onChange(vertical ? fractionAt(e.clientX, rect.left, rect.width) : fractionAt(e.clientY, rect.top, rect.height));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const less = vertical ? 'ArrowLeft' : 'ArrowUp';
    const more = vertical ? 'ArrowRight' : 'ArrowDown';
    if (e.key === less) onChange(clampFraction(fraction - SPLIT_KEYBOARD_STEP));
    else if (e.key === more) onChange(clampFraction(fraction + SPLIT_KEYBOARD_STEP));
    else return;
    e.preventDefault();
  };

  return (
    <div
      ref={ref}
      className={`splitter splitter-${orientation}${dragging ? ' dragging' : ''}`}
      role="separator"
      aria-orientation={vertical ? 'vertical' : 'horizontal'}
      aria-label={label}
      aria-valuenow={Math.round(fraction * 100)}
      aria-valuemin={0}
      aria-valuemax={100}
      tabIndex={0}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        setDragging(true);
        e.preventDefault();
      }}
      onPointerMove={(e) => {
        if (dragging) move(e);
      }}
      onPointerUp={(e) => {
        e.currentTarget.releasePointerCapture(e.pointerId);
        setDragging(false);
      }}
      onPointerCancel={() => setDragging(false)}
      onKeyDown={onKeyDown}
    />
  );
}

export interface SplitProps {
  orientation: 'vertical' | 'horizontal';
  /** The first pane's share: how the panes are sized, or with `secondPx` only what the bar reports. */
  fraction: number;
  onChange(fraction: number): void;
  label: string;
  first: React.ReactNode;
  second: React.ReactNode;
  /**
   * Size the second pane in pixels instead (the first takes the rest, so a container that grows
   * gives the first pane all of it), at most `secondMaxShare` of the container. Done in CSS, so
   * the layout settles in one pass and what sits inside (a terminal) is resized once.
   */
  secondPx?: number;
  secondMaxShare?: number;
}

/** Two panes with a splitter between them; `fraction` is the first pane's share. */
export function Split({ orientation, fraction, onChange, label, first, second, secondPx, secondMaxShare = MAX_SPLIT_FRACTION }: SplitProps) {
  const f = clampFraction(fraction);
  const fixed = secondPx !== undefined;
  const maxSize = `${secondMaxShare * 100}%`;
  const secondStyle: CSSProperties = fixed
    ? { flex: `0 0 ${Math.round(secondPx)}px`, ...(orientation === 'vertical' ? { maxWidth: maxSize } : { maxHeight: maxSize }) }
    : { flex: `${1 - f} 1 0` };
  return (
    <div className={`split ${orientation === 'vertical' ? 'split-row' : 'split-column'}`}>
      <div className="split-pane" style={{ flex: fixed ? '1 1 0' : `${f} 1 0` }}>
        {first}
      </div>
      <Splitter orientation={orientation} fraction={f} onChange={onChange} label={label} />
      <div className="split-pane" style={secondStyle}>
        {second}
      </div>
    </div>
  );
}
