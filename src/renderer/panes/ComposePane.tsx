// The Compose tab: write a multi-line message (an HTTP request, an SMTP dialogue) in an editor and
// type it into a terminal session with one click, each line followed by Enter.

import { monaco } from './monaco-setup';
import { useEffect, useState } from 'react';
import Editor from '@monaco-editor/react';
import { COMPOSE_EXAMPLES } from '../lib/compose-examples';
import { composeToKeystrokes, MAX_COMPOSE_CHARS } from '../lib/compose';
import { TERMINAL_FONT } from './terminal-theme';
import { ZONE_THEME_ID, registerZoneLanguage } from '../lib/zone-language';

// Monaco has one theme per page: every editor uses the lab's (vs-dark with the zone file colours),
// so opening the zone editor does not recolour this one and back.
registerZoneLanguage(monaco);

export interface ComposePaneProps {
  targets: Array<{ key: string; title: string }>;
  /** The terminal tab used last: where the message goes unless the student picks another. */
  defaultTarget: string;
  onSend(targetKey: string, keys: string): Promise<void>;
}

const INITIAL_TEXT = COMPOSE_EXAMPLES[0].text;

export default function ComposePane({ targets, defaultTarget, onSend }: ComposePaneProps) {
  const [text, setText] = useState(INITIAL_TEXT);
  const [target, setTarget] = useState(defaultTarget);
  const [hint, setHint] = useState(COMPOSE_EXAMPLES[0].connectHint);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [sending, setSending] = useState(false);

  // Follow the terminal used last, and fall back when the chosen tab was closed.
  useEffect(() => setTarget(defaultTarget), [defaultTarget]);
  const chosen = targets.some((t) => t.key === target) ? target : targets[0]?.key;
  const chosenTitle = targets.find((t) => t.key === chosen)?.title;

  const send = async () => {
    if (!chosen) {
      setResult({ ok: false, text: 'no terminal is open: open one with + first' });
      return;
    }
    const composed = composeToKeystrokes(text);
    if (!composed.ok) {
      setResult({ ok: false, text: composed.error });
      return;
    }
    setSending(true);
    try {
      await onSend(chosen, composed.keys);
      setResult({ ok: true, text: `typed ${composed.lines} line${composed.lines === 1 ? '' : 's'} into ${chosenTitle}` });
    } catch (err) {
      setResult({ ok: false, text: `not sent: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      setSending(false);
    }
  };

  return (
    <div className="pane" data-testid="editor">
      <div className="compose-toolbar">
        <label>
          Example{' '}
          <select
            aria-label="Insert an example"
            value=""
            onChange={(e) => {
              const ex = COMPOSE_EXAMPLES.find((x) => x.id === e.target.value);
              if (!ex) return;
              setText(ex.text);
              setHint(ex.connectHint);
              setResult(null);
            }}
          >
            <option value="">choose…</option>
            {COMPOSE_EXAMPLES.map((ex) => (
              <option key={ex.id} value={ex.id}>
                {ex.title}
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" style={{ flex: 1 }} />
        <label>
          into{' '}
          <select aria-label="Terminal to send to" value={chosen ?? ''} onChange={(e) => setTarget(e.target.value)} disabled={targets.length === 0}>
            {targets.map((t) => (
              <option key={t.key} value={t.key}>
                {t.title}
              </option>
            ))}
          </select>
        </label>
        <button className="primary" onClick={() => void send()} disabled={sending || !chosen} data-testid="compose-send">
          Send to terminal
        </button>
      </div>
      <div className="compose-editor">
        <Editor
          value={text}
          onChange={(v) => setText(v ?? '')}
          language="plaintext"
          theme={ZONE_THEME_ID}
          options={{
            minimap: { enabled: false },
            fontFamily: TERMINAL_FONT,
            fontSize: 13,
            renderWhitespace: 'boundary',
            scrollBeyondLastLine: false,
            wordWrap: 'off',
            lineNumbers: 'on',
            automaticLayout: true,
            unicodeHighlight: { ambiguousCharacters: true, invisibleCharacters: true },
          }}
        />
      </div>
      <div className="compose-hint" role="status">
        {result ? (
          <span className={result.ok ? '' : 'error-text'}>{result.text}</span>
        ) : (
          <span>
            Each line is typed followed by Enter, so it leaves as a line ending in CR LF. Connect first, e.g. <code>{hint}</code>. Up to{' '}
            {MAX_COMPOSE_CHARS / 1024} KiB.
          </span>
        )}
      </div>
    </div>
  );
}
