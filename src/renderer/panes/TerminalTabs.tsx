// The left-top area: one tab per terminal session (+ opens another) and the Compose tab, whose
// "Send to terminal" types a prepared message into a terminal session.

import { lazy, Suspense, useCallback, useRef, useState } from 'react';
import type { LabApi } from '../../shared/lab-api';
import type { BridgeStatus } from '../bridge';
import type { TerminalRouter } from '../lib/terminal-router';
import { TerminalView, type TerminalHandle } from './TerminalView';

// Monaco is large: it loads when the Compose tab is first opened, not with the page.
const ComposePane = lazy(() => import('./ComposePane'));

/** Terminal tabs open at once at most; each one is a live session in the core. */
export const MAX_TERMINAL_TABS = 8;

const COMPOSE = 'compose';

interface TabInfo {
  key: string;
  title: string;
}

export interface TerminalTarget {
  key: string;
  title: string;
}

export interface TerminalTabsProps {
  api: LabApi;
  router: TerminalRouter;
  link: BridgeStatus;
}

export function TerminalTabs({ api, router, link }: TerminalTabsProps) {
  const counter = useRef(1);
  const [tabs, setTabs] = useState<TabInfo[]>([{ key: 't1', title: 'Terminal 1' }]);
  const [active, setActive] = useState<string>('t1');
  const [composeOpened, setComposeOpened] = useState(false);
  const [lastTerminal, setLastTerminal] = useState<string>('t1');
  const handles = useRef(new Map<string, TerminalHandle>());

  const select = (key: string) => {
    setActive(key);
    if (key === COMPOSE) setComposeOpened(true);
    else setLastTerminal(key);
  };

  const addTab = () => {
    if (tabs.length >= MAX_TERMINAL_TABS) return;
    counter.current += 1;
    const tab = { key: `t${counter.current}`, title: `Terminal ${counter.current}` };
    setTabs((t) => [...t, tab]);
    select(tab.key);
  };

  const closeTab = (key: string) => {
    const rest = tabs.filter((t) => t.key !== key);
    setTabs(rest);
    handles.current.delete(key);
    const fallback = rest[rest.length - 1]?.key;
    if (active === key) select(fallback ?? COMPOSE);
    if (lastTerminal === key && fallback) setLastTerminal(fallback);
  };

  const sendToTerminal = useCallback(
    async (key: string, keys: string) => {
      const handle = handles.current.get(key);
      if (!handle) throw new Error('that terminal tab is closed');
      await handle.sendKeys(keys);
      setActive(key);
      setLastTerminal(key);
      handle.focus();
    },
    [],
  );

  const targets: TerminalTarget[] = tabs.map((t) => ({ key: t.key, title: t.title }));

  return (
    <div className="pane">
      <div className="tabs" role="tablist" aria-label="Terminals and Compose">
        {tabs.map((t) => (
          <div
            key={t.key}
            className="tab"
            role="tab"
            aria-selected={active === t.key}
            tabIndex={0}
            onClick={() => select(t.key)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') select(t.key);
            }}
          >
            <span>{t.title}</span>
            <button
              className="tab-close"
              title={`Close ${t.title} (ends its session)`}
              aria-label={`Close ${t.title}`}
              onClick={(e) => {
                e.stopPropagation();
                closeTab(t.key);
              }}
            >
              ×
            </button>
          </div>
        ))}
        <button className="tab-add" title="Open another terminal" aria-label="Open another terminal" onClick={addTab} disabled={tabs.length >= MAX_TERMINAL_TABS}>
          +
        </button>
        <div
          className="tab"
          role="tab"
          aria-selected={active === COMPOSE}
          tabIndex={0}
          data-testid="compose-tab"
          onClick={() => select(COMPOSE)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ' ') select(COMPOSE);
          }}
        >
          Compose
        </div>
      </div>
      <div className="tab-panels">
        {tabs.map((t) => (
          <div key={t.key} className="tab-panel" role="tabpanel" hidden={active !== t.key}>
            <TerminalView
              api={api}
              router={router}
              link={link}
              active={active === t.key}
              handleRef={(h) => {
                if (h) handles.current.set(t.key, h);
                else handles.current.delete(t.key);
              }}
            />
          </div>
        ))}
        {composeOpened && (
          <div className="tab-panel" role="tabpanel" hidden={active !== COMPOSE}>
            <Suspense fallback={<div className="pane-empty">Loading the editor…</div>}>
              <ComposePane targets={targets} defaultTarget={lastTerminal} onSend={sendToTerminal} />
            </Suspense>
          </div>
        )}
      </div>
    </div>
  );
}
