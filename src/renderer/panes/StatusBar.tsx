// The bottom line: where the data lives, how much was captured, and how the page reaches the core.

import { useSyncExternalStore } from 'react';
import type { LabSnapshot } from '../../shared/lab-api';
import type { BridgeStatus, LabBridge } from '../bridge';
import { formatByteCount } from '../lib/format';
import { linkText } from '../lib/link-text';
import type { PacketStore } from '../lib/packet-store';

export interface StatusBarProps {
  bridge: LabBridge;
  status: BridgeStatus;
  snapshot: LabSnapshot | null;
  store: PacketStore;
  now: number;
}

export function StatusBar({ bridge, status, snapshot, store, now }: StatusBarProps) {
  const capture = snapshot?.capture;
  const totalMessages = useSyncExternalStore(store.subscribe, () => store.totalMessages);
  const heldRows = useSyncExternalStore(store.subscribe, () => store.heldRows);
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className="grow" title={snapshot ? `Journal: ${capture?.journalPath}` : undefined}>
        Data folder: {snapshot ? snapshot.dataDir : '—'}
      </span>
      <span title={`${heldRows} rows held in memory`}>
        {totalMessages} message{totalMessages === 1 ? '' : 's'}
        {capture && ` · ${formatByteCount(capture.totalBytes)} captured`}
      </span>
      <span title={bridge.describe}>
        <span className={`link-dot link-${status.state}`} />
        {bridge.kind === 'ipc' ? 'app' : 'web'}: {linkText(status, now)}
      </span>
    </footer>
  );
}
