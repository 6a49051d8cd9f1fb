// Loads the selected message from the core and dissects it here, in the renderer.

import { useEffect, useState } from 'react';
import type { MessageDetail } from '../../shared/capture';
import type { LabApi } from '../../shared/lab-api';
import { getProtocol } from '../../protocols/registry';
import { dissectMessage, type Dissection } from '../lib/dissection';

export type DissectionState =
  | { status: 'none' }
  | { status: 'loading'; id: number }
  | { status: 'error'; id: number; error: string }
  | { status: 'ready'; id: number; detail: MessageDetail; dissection: Dissection };

export function useDissection(api: LabApi, id: number | null, epoch: number): DissectionState {
  const [state, setState] = useState<DissectionState>({ status: 'none' });
  useEffect(() => {
    if (id === null) {
      setState({ status: 'none' });
      return;
    }
    let current = true;
    setState({ status: 'loading', id });
    api.getMessage(id).then(
      (detail) => {
        if (!current) return;
        if (!detail) setState({ status: 'error', id, error: `message #${id} is not in the capture` });
        else setState({ status: 'ready', id, detail, dissection: dissectMessage(detail, getProtocol) });
      },
      (err: unknown) => {
        if (current) setState({ status: 'error', id, error: `could not load message #${id}: ${err instanceof Error ? err.message : String(err)}` });
      },
    );
    return () => {
      current = false;
    };
  }, [api, id, epoch]);
  return state;
}
