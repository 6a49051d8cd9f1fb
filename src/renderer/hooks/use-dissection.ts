// Loads the selected message from the core and dissects it here, in the renderer, and keeps its
// connection line current as capture batches report the connection closing or being reset.

import { useEffect, useRef, useState } from 'react';
import type { MessageDetail } from '../../shared/capture';
import type { LabApi, WorldHostInfo } from '../../shared/lab-api';
import { getProtocol } from '../../protocols/registry';
import { withConnectionUpdate } from '../lib/connection-updates';
import { dissectMessage, hostsSignature, pairedMessageId, type Dissection } from '../lib/dissection';

export type DissectionState =
  | { status: 'none' }
  | { status: 'loading'; id: number }
  | { status: 'error'; id: number; error: string }
  | { status: 'ready'; id: number; detail: MessageDetail; dissection: Dissection };

/** `hosts`: the world's hosts from the snapshot, so the breakdown can say which DNS server sent a message. */
export function useDissection(api: LabApi, id: number | null, epoch: number, hosts?: readonly WorldHostInfo[]): DissectionState {
  const [state, setState] = useState<DissectionState>({ status: 'none' });
  // Each snapshot brings a new hosts array; the message is dissected again only when they really change.
  const hostsRef = useRef(hosts);
  hostsRef.current = hosts;
  const hostsKey = hostsSignature(hosts);
  useEffect(() => {
    if (id === null) {
      setState({ status: 'none' });
      return;
    }
    let current = true;
    setState({ status: 'loading', id });
    api
      .getMessage(id)
      .then(async (detail) => {
        const pairId = detail ? pairedMessageId(detail) : undefined;
        // The paired message only adds generated fields; without it the breakdown is still whole.
        const paired = pairId === undefined ? null : await api.getMessage(pairId).catch(() => null);
        return { detail, paired };
      })
      .then(
        ({ detail, paired }) => {
          if (!current) return;
          if (!detail) setState({ status: 'error', id, error: `message #${id} is not in the capture` });
          else setState({ status: 'ready', id, detail, dissection: dissectMessage(detail, getProtocol, paired, hostsRef.current) });
        },
        (err: unknown) => {
          if (current) setState({ status: 'error', id, error: `could not load message #${id}: ${err instanceof Error ? err.message : String(err)}` });
        },
      );
    return () => {
      current = false;
    };
  }, [api, id, epoch, hostsKey]);

  // The tree does not depend on the connection's state, so only the detail is replaced: the
  // dissection (and with it what the student expanded) stays as it is.
  useEffect(
    () =>
      api.on('capture', (batch) => {
        if (batch.connections.length === 0) return;
        setState((s) => {
          if (s.status !== 'ready') return s;
          const detail = withConnectionUpdate(s.detail, batch.connections);
          return detail === s.detail ? s : { ...s, detail };
        });
      }),
    [api],
  );
  return state;
}
