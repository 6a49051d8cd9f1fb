import { useSyncExternalStore } from 'react';
import type { BridgeStatus, LabBridge } from '../bridge';

export function useBridgeStatus(bridge: LabBridge): BridgeStatus {
  return useSyncExternalStore(
    (onChange) => bridge.onStatus(() => onChange()),
    () => bridge.status(),
  );
}
