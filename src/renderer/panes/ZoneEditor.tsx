// The zone editor: the zone files the lab's name servers serve, grouped by server, and one of them
// in monaco with master-file colours. The text is checked while the student types, with the same
// parser the servers use, and every problem sits under its token as a marker. Save hands the text
// to the lab, which checks it again and, without errors, writes it and answers from it at once.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Editor from '@monaco-editor/react';
import type * as Monaco from 'monaco-editor/editor';
import type { LabApi } from '../../shared/lab-api';
import type { ZoneFileInfo, ZoneProblemInfo } from '../../shared/dns';
// Monaco from the local bundle with its worker (never a CDN), as the Compose tab loads it.
import { monaco } from './monaco-setup';
import { TERMINAL_FONT } from './terminal-theme';
import { ZONE_LANGUAGE_ID, ZONE_THEME_ID, registerZoneLanguage } from '../lib/zone-language';
import { checkZoneDraft, countProblems, formatProblemCounts, formatProblemPlace, problemMarkers } from '../lib/zone-markers';
import {
  ZONE_ROLE_LABEL,
  ZONE_ROLE_TITLE,
  describeSave,
  draftZoneBadge,
  formatRecordCount,
  groupZonesByServer,
  saveOutcomeAfterEdit,
  zoneBadge,
  type SaveOutcome,
} from '../lib/zone-editor-view';
import './zone-editor.css';

registerZoneLanguage(monaco);

/** A pause in typing this long re-checks the text (parsing a big zone on every key would lag). */
export const ZONE_LIVE_CHECK_DELAY_MS = 250;

/** The owner of the markers this editor sets on its model. */
const MARKER_OWNER = 'protolab-zone-check';

/** The folder the lab's problems name files in (ZONES_FOLDER of the lab's dns-world). */
const ZONES_FOLDER = 'zones';

export interface ZoneEditorProps {
  api: LabApi;
}

interface OpenZone {
  file: string;
  origin: string;
  /** The text as last read from or saved to the data folder. */
  diskText: string;
  /** Bumped at every load, so the editor starts afresh (new model, empty undo history). */
  generation: number;
}

/** Problems and the text they were found in (marker positions are clamped to that text). */
interface Checked {
  text: string;
  problems: ZoneProblemInfo[];
  source: 'live' | 'save';
}

interface SaveReport {
  outcome: SaveOutcome;
  hierarchyProblems: string[];
  /** The text that was saved (or refused): once the draft differs, the report is out of date. */
  text: string;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function checkDraft(text: string, zone: { file: string; origin: string }): Checked {
  return { text, problems: checkZoneDraft(text, { origin: zone.origin, file: `${ZONES_FOLDER}/${zone.file}` }), source: 'live' };
}

export function ZoneEditor({ api }: ZoneEditorProps) {
  const [zones, setZones] = useState<ZoneFileInfo[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [open, setOpen] = useState<OpenZone | null>(null);
  const [draft, setDraft] = useState('');
  const [checked, setChecked] = useState<Checked | null>(null);
  const [loading, setLoading] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [report, setReport] = useState<SaveReport | null>(null);
  const [note, setNote] = useState<string | null>(null);
  /** A file the student picked while the open one had unsaved changes: the question on screen. */
  const [pendingFile, setPendingFile] = useState<string | null>(null);
  const [editor, setEditor] = useState<Monaco.editor.IStandaloneCodeEditor | null>(null);
  /** The mounted editor and the file load (`file#generation`) it shows. */
  const editorRef = useRef<{ editor: Monaco.editor.IStandaloneCodeEditor; shows: string } | null>(null);

  const dirty = open !== null && draft !== open.diskText;
  // The latest values for callbacks that outlive a render (events, monaco commands).
  const latest = useRef({ open, draft, dirty, zones });
  latest.current = { open, draft, dirty, zones };
  const loadSeq = useRef(0);

  const load = useCallback(
    async (file: string, why: 'pick' | 'revert' | 'changed-on-disk') => {
      const info = latest.current.zones?.find((z) => z.file === file);
      if (!info) return;
      const seq = ++loadSeq.current;
      setLoading(file);
      setLoadError(null);
      try {
        const text = await api.readZone(file);
        if (seq !== loadSeq.current) return;
        setOpen((prev) => ({ file, origin: info.origin, diskText: text, generation: (prev?.generation ?? 0) + 1 }));
        setDraft(text);
        setChecked(checkDraft(text, info));
        setReport(null);
        setPendingFile(null);
        setNote(why === 'revert' ? `Reverted to ${file} as saved on disk.` : why === 'changed-on-disk' ? `${file} was saved elsewhere; this is the new text.` : null);
      } catch (err) {
        if (seq === loadSeq.current) setLoadError(`could not read ${file}: ${message(err)}`);
      } finally {
        if (seq === loadSeq.current) setLoading(null);
      }
    },
    [api],
  );

  // The list, and every change to it (a save here or from another window or the CLI).
  useEffect(() => {
    let live = true;
    api.listZones().then(
      (list) => {
        if (!live) return;
        setZones(list);
        setListError(null);
      },
      (err: unknown) => live && setListError(`could not list the zone files: ${message(err)}`),
    );
    const off = api.on('zones', (list) => {
      setZones(list);
      setListError(null);
      // An unchanged open file follows the disk; unsaved changes are never overwritten.
      const { open: current, dirty: hasChanges } = latest.current;
      if (!current || hasChanges) return;
      api.readZone(current.file).then(
        (text) => {
          const now = latest.current;
          if (text !== current.diskText && now.open?.file === current.file && !now.dirty) void load(current.file, 'changed-on-disk');
        },
        () => {},
      );
    });
    return () => {
      live = false;
      off();
    };
  }, [api, load]);

  // Check the text a moment after the last key.
  useEffect(() => {
    if (!open || checked?.text === draft) return;
    const timer = setTimeout(() => setChecked(checkDraft(draft, open)), ZONE_LIVE_CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, open, checked]);

  // Problems as markers on the editor's model.
  useEffect(() => {
    const model = editor?.getModel();
    if (!model) return;
    const markers = checked ? problemMarkers(checked.problems, checked.text) : [];
    monaco.editor.setModelMarkers(model, MARKER_OWNER, markers as Monaco.editor.IMarkerData[]);
  }, [editor, checked]);

  const savingNow = useRef(false);
  const save = useCallback(async () => {
    const { open: zone, draft } = latest.current;
    // The editor's model holds every key typed; the draft state catches up at the next render,
    // which a Ctrl+S right after typing can beat (the last characters would be left out).
    const mounted = editorRef.current;
    const model = zone && mounted?.shows === `${zone.file}#${zone.generation}` ? mounted.editor.getModel() : null;
    const text = model && !model.isDisposed() ? model.getValue() : draft;
    // Ctrl+S pressed again while the lab is still checking the text: one save at a time.
    if (!zone || savingNow.current) return;
    savingNow.current = true;
    setSaving(true);
    setNote(null);
    try {
      const result = await api.saveZone(zone.file, text);
      setReport({ outcome: describeSave(zone.file, result), hierarchyProblems: result.hierarchyProblems, text });
      // The server's problems are the last word on this text (unless the student typed on meanwhile).
      if (latest.current.draft === text) setChecked({ text, problems: result.problems, source: 'save' });
      if (result.ok) {
        setOpen((prev) => (prev && prev.file === zone.file ? { ...prev, diskText: text } : prev));
        const saved = result.zone;
        if (saved) setZones((list) => list?.map((z) => (z.file === saved.file ? saved : z)) ?? list);
      }
    } catch (err) {
      // No answer from the lab: whether the text reached it is unknown, so say so rather than guess.
      const detail = 'The lab did not confirm the save, so the file on disk may still hold the old text; save again once the link is back.';
      setReport({ outcome: { ok: false, headline: `Not saved: ${message(err)}.`, detail }, hierarchyProblems: [], text });
    } finally {
      savingNow.current = false;
      setSaving(false);
    }
  }, [api]);

  const saveRef = useRef(save);
  saveRef.current = save;

  const pick = (file: string) => {
    if (open?.file === file && !loadError) return;
    if (dirty) {
      setPendingFile(file);
      return;
    }
    void load(file, 'pick');
  };

  const reveal = (p: ZoneProblemInfo) => {
    if (!editor) return;
    editor.revealLineInCenter(p.line);
    editor.setPosition({ lineNumber: p.line, column: p.column });
    editor.focus();
  };

  const groups = useMemo(() => groupZonesByServer(zones ?? []), [zones]);
  const counts = checked ? countProblems(checked.problems) : null;
  // What the last save said, as it stands against the text now (gone or dimmed once it changed).
  const shownOutcome = report ? saveOutcomeAfterEdit(report.outcome, report.text, draft) : null;
  const canSave = open !== null && !saving && loading === null && (dirty || (report !== null && !report.outcome.ok));

  return (
    <div className="zone-editor" data-testid="zone-editor">
      <div className={`zone-layout${open ? ' zone-layout-open' : ''}`}>
        <nav className="zone-list" aria-label="Zone files">
          {!zones && <div className="pane-empty">{listError ?? 'Loading the zone files…'}</div>}
          {zones && zones.length === 0 && <div className="pane-empty">The lab serves no zone files (zones/zones.yaml lists none).</div>}
          {zones && listError && <div className="zone-error">{listError}</div>}
          {groups.map((g) => (
            <section key={g.server} className="zone-server" data-testid="zone-server" data-server={g.server}>
              <div className="zone-server-head">
                <span className="zone-server-name">{g.server}</span>
                <span className={`zone-role zone-role-${g.role}`} title={ZONE_ROLE_TITLE[g.role]}>
                  {ZONE_ROLE_LABEL[g.role]}
                </span>
              </div>
              <ul>
                {g.zones.map((z) => {
                  const isOpen = open?.file === z.file;
                  // The open file with unsaved changes: the problems of the text being typed.
                  const badge = isOpen && dirty && checked ? draftZoneBadge(z, checked.problems) : zoneBadge(z);
                  return (
                    <li key={z.file}>
                      <button
                        className="zone-file"
                        data-testid="zone-file"
                        data-file={z.file}
                        aria-current={isOpen ? 'true' : undefined}
                        onClick={() => pick(z.file)}
                        title={`${z.file}: the zone ${z.origin}`}
                      >
                        <span className="zone-origin">
                          {z.origin}
                          {isOpen && dirty && (
                            <span className="zone-dirty" title="unsaved changes" aria-label="unsaved changes">
                              {' '}
                              ●
                            </span>
                          )}
                        </span>
                        <span className="zone-meta">
                          <span className="muted">{formatRecordCount(z.records)}</span>
                          <span className={`zone-badge zone-badge-${badge.kind}`} data-testid="zone-badge" title={badge.title}>
                            {badge.text}
                          </span>
                        </span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            </section>
          ))}
        </nav>

        <div className="zone-main">
          <div className="zone-toolbar">
            <span className="zone-title" data-testid="zone-title">
              {open ? (
                <>
                  <code>{open.file}</code> <span className="muted">({open.origin})</span>
                  {dirty && <span className="zone-unsaved"> unsaved changes</span>}
                </>
              ) : (
                <span className="muted">No file open</span>
              )}
            </span>
            <span
              className="zone-live"
              data-testid="zone-live-problems"
              role="status"
              title={checked?.source === 'save' ? 'As the lab found them in the text you saved' : 'Checked here as you type, with the parser the servers use'}
            >
              {counts && (
                <span className={`zone-count zone-count-${counts.errors > 0 ? 'error' : counts.warnings > 0 ? 'warning' : 'ok'}`}>{formatProblemCounts(counts)}</span>
              )}
            </span>
            <button onClick={() => open && void load(open.file, 'revert')} disabled={!open || !dirty || saving || loading !== null} data-testid="zone-revert" title="Throw away the changes and read the file from disk again">
              Revert
            </button>
            <button className="primary" onClick={() => void save()} disabled={!canSave} data-testid="zone-save" title="Check the text in the lab and, without errors, save it and serve it (Ctrl+S)">
              {saving ? 'Saving…' : 'Save'}
            </button>
          </div>

          {pendingFile && open && (
            <div className="zone-question" role="alertdialog" aria-label="Unsaved changes" data-testid="zone-unsaved-question">
              <span>
                {open.file} has unsaved changes. Open {pendingFile} and lose them?
              </span>
              <button onClick={() => void load(pendingFile, 'pick')} data-testid="zone-discard">
                Discard and open
              </button>
              <button onClick={() => setPendingFile(null)} data-testid="zone-keep">
                Keep editing
              </button>
            </div>
          )}

          <div className="zone-text">
            {open ? (
              <Editor
                key={`${open.file}#${open.generation}`}
                defaultValue={open.diskText}
                defaultLanguage={ZONE_LANGUAGE_ID}
                theme={ZONE_THEME_ID}
                onChange={(v) => setDraft(v ?? '')}
                onMount={(ed: Monaco.editor.IStandaloneCodeEditor) => {
                  setEditor(ed);
                  editorRef.current = { editor: ed, shows: `${open.file}#${open.generation}` };
                  // The problem list under the text grows as problems appear: keep the line being typed in view.
                  ed.onDidLayoutChange(() => {
                    const at = ed.getPosition();
                    if (at && ed.hasTextFocus()) ed.revealPosition(at);
                  });
                  ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => void saveRef.current());
                }}
                loading={<div className="pane-empty">Loading the editor…</div>}
                options={{
                  minimap: { enabled: false },
                  fontFamily: TERMINAL_FONT,
                  fontSize: 13,
                  scrollBeyondLastLine: false,
                  wordWrap: 'off',
                  lineNumbers: 'on',
                  automaticLayout: true,
                  // Columns are aligned with runs of spaces; dots in every gap would drown the records.
                  renderWhitespace: 'selection',
                  tabSize: 8,
                  insertSpaces: false,
                  unicodeHighlight: { ambiguousCharacters: true, invisibleCharacters: true },
                }}
              />
            ) : (
              <div className="pane-empty">
                {loadError ??
                  (loading
                    ? `Reading ${loading}…`
                    : 'Pick a zone file from the list. Each server answers from its files; edit one, save, and ask the resolver (dig) to see the change.')}
              </div>
            )}
          </div>
          {open && loadError && <div className="zone-error">{loadError}</div>}

          <div className="zone-results">
            {note && <div className="muted">{note}</div>}
            {shownOutcome && (
              <div
                className={`zone-outcome ${shownOutcome.ok ? 'zone-outcome-ok' : 'zone-outcome-refused'}${shownOutcome.stale ? ' zone-stale' : ''}`}
                data-testid="zone-save-result"
                data-ok={String(shownOutcome.ok)}
                data-stale={String(shownOutcome.stale)}
              >
                <strong>{shownOutcome.headline}</strong> {shownOutcome.detail}
              </div>
            )}
            {shownOutcome && report && report.hierarchyProblems.length > 0 && (
              <div className={`zone-hierarchy${shownOutcome.stale ? ' zone-stale' : ''}`} data-testid="zone-hierarchy-problems">
                <div className="zone-hierarchy-head">Between the zones (delegations and glue):</div>
                <ul>
                  {report.hierarchyProblems.map((h, i) => (
                    <li key={i}>{h}</li>
                  ))}
                </ul>
              </div>
            )}
            {checked && checked.problems.length > 0 && (
              <ul className="zone-problems" data-testid="zone-problems" aria-label="Problems in the text">
                {checked.problems.map((p, i) => (
                  <li key={i}>
                    <button className={`zone-problem zone-problem-${p.severity}`} data-testid="zone-problem" onClick={() => reveal(p)} title="Show this place in the text">
                      <span className="zone-problem-place">{formatProblemPlace(p)}</span>
                      <span className="zone-problem-severity">{p.severity}</span>
                      <span>{p.message}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}

export default ZoneEditor;
