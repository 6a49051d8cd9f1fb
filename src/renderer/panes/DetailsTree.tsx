// The details tree: the frame-like summary of the selected message, then the protocol's dissection
// (Wireshark's packet details), and below it what the selected field means and where it is defined.

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { FieldNode, FieldTable } from '../../protocols/core/field';
import type { MessageSummary } from '../../shared/capture';
import type { DissectionState } from '../hooks/use-dissection';
import { frameLines, frameTitle, withLivePairing } from '../lib/frame-summary';
import { nodeLabel, type VisibleNode, visibleNodes } from '../lib/field-tree';

export interface DetailsTreeProps {
  state: DissectionState;
  /** The message's row in the list, whose pairing (its answer, or that none came) may be newer than the loaded detail. */
  liveRow?: MessageSummary;
  expanded: ReadonlySet<string>;
  onToggle(key: string): void;
  selectedKey: string | null;
  onSelectNode(path: number[] | null): void;
  onSelectMessage(id: number): void;
}

export function DetailsTree(props: DetailsTreeProps) {
  const { state } = props;
  // Open or closed stays as the student left it when another message is selected.
  const [frameOpen, setFrameOpen] = useState(true);
  return (
    <div className="pane" data-testid="details-tree">
      <div className="pane-header">
        <h2>Details</h2>
        {state.status === 'ready' && <span>{state.dissection.protocolTitle}</span>}
      </div>
      {state.status === 'none' && <div className="pane-empty">Select a message in the list to see its fields.</div>}
      {state.status === 'loading' && <div className="pane-empty">Loading message #{state.id}…</div>}
      {state.status === 'error' && <div className="pane-empty error-text">{state.error}</div>}
      {state.status === 'ready' && <ReadyTree {...props} state={state} frameOpen={frameOpen} onFrameToggle={() => setFrameOpen((o) => !o)} />}
    </div>
  );
}

function fieldTooltip(node: FieldNode, fields: FieldTable): string {
  const def = fields[node.id];
  const lines = [def ? `${def.name} (${def.id})${def.rfc ? ` — ${def.rfc}` : ''}` : node.id];
  if (def?.blurb) lines.push(def.blurb);
  if (node.expert) lines.push(`${node.expert.severity}: ${node.expert.message}`);
  if (!node.generated && node.length > 0) lines.push(`bytes ${node.offset}–${node.offset + node.length - 1} (${node.length})`);
  return lines.join('\n');
}

type ReadyTreeProps = DetailsTreeProps & { state: Extract<DissectionState, { status: 'ready' }>; frameOpen: boolean; onFrameToggle(): void };

function ReadyTree({ state, liveRow, expanded, onToggle, selectedKey, onSelectNode, onSelectMessage, frameOpen, onFrameToggle }: ReadyTreeProps) {
  const { detail, dissection } = state;
  const scrollRef = useRef<HTMLDivElement>(null);
  const shownDetail = withLivePairing(detail, liveRow);
  const rows = visibleNodes(dissection.nodes, expanded);
  const selected = rows.find((r) => r.key === selectedKey) ?? null;

  // A field picked from the bytes pane may be below the fold: bring it into view.
  useEffect(() => {
    if (selectedKey === null) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-key="${selectedKey}"]`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [selectedKey]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = selected ? rows.indexOf(selected) : -1;
    if (e.key === 'ArrowDown' && at < rows.length - 1) onSelectNode(rows[at + 1].path);
    else if (e.key === 'ArrowUp' && at > 0) onSelectNode(rows[at - 1].path);
    else if (e.key === 'ArrowRight' && selected?.hasChildren && !selected.expanded) onToggle(selected.key);
    else if (e.key === 'ArrowLeft' && selected?.expanded) onToggle(selected.key);
    else if (e.key === 'ArrowLeft' && selected && selected.path.length > 1) onSelectNode(selected.path.slice(0, -1));
    else return;
    e.preventDefault();
  };

  return (
    <>
      <div className="details-scroll" ref={scrollRef} tabIndex={0} role="tree" aria-label="Message fields" onKeyDown={onKeyDown}>
        <div className="tree-row" onClick={onFrameToggle} aria-expanded={frameOpen}>
          <span className="tree-toggle">{frameOpen ? '▾' : '▸'}</span>
          <span className="tree-label frame">{frameTitle(shownDetail)}</span>
        </div>
        {frameOpen &&
          frameLines(shownDetail).map((line) => (
            <div key={line.label} className={`tree-row${line.warn ? ' frame-line-warn' : ''}`} style={{ paddingLeft: 16 }}>
              <span className="tree-toggle" />
              <span className="tree-label">
                {line.label}:{' '}
                {line.linkTo !== undefined ? (
                  <button className="link" onClick={() => onSelectMessage(line.linkTo!)} data-testid="pair-link">
                    {line.value}
                  </button>
                ) : (
                  line.value
                )}
              </span>
            </div>
          ))}
        {dissection.error && <div className="tree-row error-text" style={{ paddingLeft: 8 }}>{dissection.error}</div>}
        {rows.map((r) => (
          <TreeRow key={r.key} row={r} fields={dissection.fields} selected={r.key === selectedKey} onToggle={onToggle} onSelect={onSelectNode} />
        ))}
        {rows.length === 0 && !dissection.error && <div className="tree-row muted" style={{ paddingLeft: 8 }}>(no fields: the message is empty)</div>}
      </div>
      <Explain selected={selected} fields={dissection.fields} explanation={dissection.explanation} />
    </>
  );
}

function TreeRow({ row, fields, selected, onToggle, onSelect }: { row: VisibleNode; fields: FieldTable; selected: boolean; onToggle(key: string): void; onSelect(path: number[]): void }) {
  const { node } = row;
  const expert = node.expert;
  return (
    <div
      className={`tree-row${selected ? ' selected' : ''}${expert ? ` has-expert-${expert.severity}` : ''}`}
      style={{ paddingLeft: 8 + row.depth * 16 }}
      role="treeitem"
      aria-selected={selected}
      aria-expanded={row.hasChildren ? row.expanded : undefined}
      title={fieldTooltip(node, fields)}
      data-testid="tree-node"
      data-key={row.key}
      onClick={() => onSelect(row.path)}
      onDoubleClick={() => row.hasChildren && onToggle(row.key)}
    >
      <span
        className="tree-toggle"
        onClick={(e) => {
          e.stopPropagation();
          if (row.hasChildren) onToggle(row.key);
          onSelect(row.path);
        }}
      >
        {row.hasChildren ? (row.expanded ? '▾' : '▸') : ''}
      </span>
      <span className={`tree-label${node.generated ? ' generated' : ''}`}>{nodeLabel(node)}</span>
      {expert && (
        <span className={`expert expert-${expert.severity}`}>
          {expert.severity}: {expert.message}
        </span>
      )}
    </div>
  );
}

function Explain({ selected, fields, explanation }: { selected: VisibleNode | null; fields: FieldTable; explanation?: { title: string; text: string; rfc?: string } }) {
  const def = selected ? fields[selected.node.id] : undefined;
  if (!selected && !explanation) return null;
  return (
    <div className="explain" data-testid="field-explanation">
      {selected && (
        <>
          <h3>
            {def?.name ?? selected.node.id}
            <span className="field-id">{selected.node.id}</span>
            {def?.rfc && <span className="rfc"> · {def.rfc}</span>}
          </h3>
          {def?.blurb && <p>{def.blurb}</p>}
          {selected.node.expert && <p className={`expert-${selected.node.expert.severity}`}>{selected.node.expert.message}</p>}
        </>
      )}
      {explanation && (
        <>
          <h3>
            {explanation.title}
            {explanation.rfc && <span className="rfc"> · {explanation.rfc}</span>}
          </h3>
          <p>{explanation.text}</p>
        </>
      )}
    </div>
  );
}
