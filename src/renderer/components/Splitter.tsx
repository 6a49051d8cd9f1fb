// A draggable bar between two panes. `vertical` bars split a row (left | right), `horizontal`
// bars split a column (top / bottom). The parent owns the fraction; the bar only reports moves.

import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { SPLIT_KEYBOARD_STEP, clampFraction, fractionAt } from '../lib/split';

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
  fraction: number;
  onChange(fraction: number): void;
  label: string;
  first: React.ReactNode;
  second: React.ReactNode;
}

/** Two panes with a splitter between them; `fraction` is the first pane's share. */
export function Split({ orientation, fraction, onChange, label, first, second }: SplitProps) {
  const f = clampFraction(fraction);
  return (
    <div className={`split ${orientation === 'vertical' ? 'split-row' : 'split-column'}`}>
      <div className="split-pane" style={{ flex: `${f} 1 0` }}>
        {first}
      </div>
      <Splitter orientation={orientation} fraction={f} onChange={onChange} label={label} />
      <div className="split-pane" style={{ flex: `${1 - f} 1 0` }}>
        {second}
      </div>
    </div>
  );
}
