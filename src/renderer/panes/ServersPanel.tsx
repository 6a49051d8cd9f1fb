// The lab's servers: where each one is in the world and where it really listens, its state, its
// connections, and Start/Stop.

import { useState } from 'react';
import type { LabApi, ServiceInfo } from '../../shared/lab-api';
import { formatHostPort } from '../lib/format';
import { connectionCountText, sortServices } from '../lib/services';

export interface ServersPanelProps {
  api: LabApi;
  services: ServiceInfo[];
  linkOpen: boolean;
  onUpdate(service: ServiceInfo): void;
}

const STATE_LABEL: Record<ServiceInfo['state'], string> = {
  listening: 'listening',
  starting: 'starting…',
  stopped: 'stopped',
  failed: 'failed',
};

export function ServersPanel({ api, services, linkOpen, onUpdate }: ServersPanelProps) {
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const listening = services.filter((s) => s.state === 'listening').length;

  const run = async (service: ServiceInfo, action: 'start' | 'stop') => {
    setBusy((b) => new Set(b).add(service.id));
    setErrors(({ [service.id]: _, ...rest }) => rest);
    try {
      const updated = action === 'start' ? await api.startService(service.id) : await api.stopService(service.id);
      onUpdate(updated);
    } catch (err) {
      setErrors((e) => ({ ...e, [service.id]: `${action} failed: ${err instanceof Error ? err.message : String(err)}` }));
    } finally {
      setBusy((b) => {
        const next = new Set(b);
        next.delete(service.id);
        return next;
      });
    }
  };

  return (
    <aside className="servers" data-testid="servers-panel" aria-label="Servers">
      <div className="pane-header">
        <h2>Servers</h2>
        <span>
          {listening} of {services.length} listening
        </span>
      </div>
      <div className="servers-list">
        {services.length === 0 && <div className="pane-empty">{linkOpen ? 'The lab runs no servers.' : 'Waiting for the lab core…'}</div>}
        {sortServices(services).map((s) => {
          const isBusy = busy.has(s.id);
          const canStop = s.state === 'listening' || s.state === 'starting';
          return (
            <section key={s.id} className="service" data-testid="service" data-service-id={s.id} data-state={s.state}>
              <div className="service-head">
                <span className="service-host" title={s.hostname}>
                  {s.hostname}
                </span>
                <span className="service-proto">
                  {s.protocol}/{s.transport}
                </span>
              </div>
              <div className="service-addrs" title="Address in the lab world, and where the server really listens on this machine">
                {formatHostPort(s.virtualAddress, s.wellKnownPort)} → {formatHostPort(s.address, s.port)}
              </div>
              {s.description && <div className="service-desc">{s.description}</div>}
              {s.state === 'failed' && s.error && <div className="service-error">{s.error}</div>}
              {errors[s.id] && <div className="service-error">{errors[s.id]}</div>}
              <div className="service-foot">
                <span className={`state state-${s.state}`}>{STATE_LABEL[s.state]}</span>
                <span className="muted">{connectionCountText(s)}</span>
                <span className="spacer" />
                {canStop ? (
                  <button onClick={() => void run(s, 'stop')} disabled={isBusy || !linkOpen}>
                    Stop
                  </button>
                ) : (
                  <button onClick={() => void run(s, 'start')} disabled={isBusy || !linkOpen}>
                    Start
                  </button>
                )}
              </div>
            </section>
          );
        })}
      </div>
    </aside>
  );
}
