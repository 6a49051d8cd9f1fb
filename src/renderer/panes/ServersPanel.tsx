// The lab's servers: where each one is in the world and where it really listens, its state, its
// connections, and Start/Stop. The DNS hierarchy (the local resolver and every name server, each
// on UDP and TCP) is one collapsible group after the others, a card per host by role.

import { useEffect, useState } from 'react';
import type { LabApi, ServiceInfo, WorldHostInfo } from '../../shared/lab-api';
import { type DnsHostCard, type DnsHostRole, dnsGroupSummary, dnsRoleBadge, dnsRolesFrom, groupDnsHosts, splitDnsServices } from '../lib/dns-servers';
import { formatHostPort } from '../lib/format';
import { connectionCountText, sortServices } from '../lib/services';
import './dns-panel.css';

export interface ServersPanelProps {
  api: LabApi;
  services: ServiceInfo[];
  /** The world's hosts (from the snapshot): the one whose DNS role is `resolver` heads the DNS group. */
  hosts?: readonly WorldHostInfo[];
  linkOpen: boolean;
  onUpdate(service: ServiceInfo): void;
}

const STATE_LABEL: Record<ServiceInfo['state'], string> = {
  listening: 'listening',
  starting: 'starting…',
  stopped: 'stopped',
  failed: 'failed',
};

export function ServersPanel({ api, services, hosts, linkOpen, onUpdate }: ServersPanelProps) {
  const resolverName = hosts?.find((h) => h.dnsRole === 'resolver')?.name ?? null;
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

  const { others, dns } = splitDnsServices(services);
  const common = { busy, errors, linkOpen, run };

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
        {sortServices(others).map((s) => (
          <ServiceCard key={s.id} service={s} {...common} />
        ))}
        {dns.length > 0 && <DnsGroup api={api} dns={dns} resolverName={resolverName} {...common} />}
      </div>
    </aside>
  );
}

interface CardActions {
  busy: ReadonlySet<string>;
  errors: Record<string, string>;
  linkOpen: boolean;
  run(service: ServiceInfo, action: 'start' | 'stop'): Promise<void>;
}

function StartStop({ service: s, busy, linkOpen, run }: CardActions & { service: ServiceInfo }) {
  const isBusy = busy.has(s.id);
  const canStop = s.state === 'listening' || s.state === 'starting';
  return canStop ? (
    <button onClick={() => void run(s, 'stop')} disabled={isBusy || !linkOpen}>
      Stop
    </button>
  ) : (
    <button onClick={() => void run(s, 'start')} disabled={isBusy || !linkOpen}>
      Start
    </button>
  );
}

function ServiceCard({ service: s, ...actions }: CardActions & { service: ServiceInfo }) {
  return (
    <section className="service" data-testid="service" data-service-id={s.id} data-state={s.state}>
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
      {actions.errors[s.id] && <div className="service-error">{actions.errors[s.id]}</div>}
      <div className="service-foot">
        <span className={`state state-${s.state}`}>{STATE_LABEL[s.state]}</span>
        <span className="muted">{connectionCountText(s)}</span>
        <span className="spacer" />
        <StartStop service={s} {...actions} />
      </div>
    </section>
  );
}

/** Each DNS host's role (from the zones it serves, and the resolver's name), kept current as zones are saved. */
function useDnsRoles(api: LabApi, linkOpen: boolean, resolverName: string | null): ReadonlyMap<string, DnsHostRole> {
  const [roles, setRoles] = useState<ReadonlyMap<string, DnsHostRole>>(new Map());
  useEffect(() => {
    if (!linkOpen) return;
    let live = true;
    // Without the roles the group still lists every host, under "Name servers".
    api.listZones().then(
      (zones) => live && setRoles(dnsRolesFrom(zones, resolverName)),
      () => {},
    );
    const off = api.on('zones', (zones) => live && setRoles(dnsRolesFrom(zones, resolverName)));
    return () => {
      live = false;
      off();
    };
  }, [api, linkOpen, resolverName]);
  return roles;
}

/** The DNS hierarchy as one collapsible group: a card per host, by role, with its UDP and TCP services. */
function DnsGroup({ api, dns, resolverName, ...actions }: CardActions & { api: LabApi; dns: ServiceInfo[]; resolverName: string | null }) {
  const [open, setOpen] = useState(false);
  const roles = useDnsRoles(api, actions.linkOpen, resolverName);
  const groups = groupDnsHosts(dns, roles);
  const resolver = groups.find((g) => g.role === 'resolver')?.hosts[0];
  const troubled = dns.filter((s) => s.state === 'failed' || actions.errors[s.id]).length;
  return (
    <section className="dns-group" data-testid="dns-servers-group" aria-label="DNS hierarchy">
      <button className="dns-group-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)} title={open ? 'Hide the name servers' : 'Show every name server of the lab, by its place in the hierarchy'}>
        <span className="chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span className="dns-group-title">DNS hierarchy</span>
      </button>
      <div className="dns-group-line">
        <div>{dnsGroupSummary(dns)}</div>
        {!open && resolver && (
          <div>
            local resolver <span className="dns-mono">{resolver.hostname}</span> → {formatHostPort(resolver.address, resolver.port)}
          </div>
        )}
        {troubled > 0 && <div className="dns-bad">{troubled} with a problem: open the group to see which</div>}
      </div>
      {open && (
        <div className="dns-group-body">
          {groups.map((g) => (
            <div key={g.role ?? 'unknown'} className="dns-role-group" data-role={g.role ?? 'unknown'}>
              <div className="dns-role-title">{g.title}</div>
              {g.hosts.map((h) => (
                <DnsHostServices key={h.hostname} card={h} {...actions} />
              ))}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

function DnsHostServices({ card, ...actions }: CardActions & { card: DnsHostCard }) {
  return (
    <section className="service dns-host" data-testid="dns-host" data-host={card.hostname} data-role={card.role ?? 'unknown'}>
      <div className="service-head">
        <span className="service-host" title={card.hostname}>
          {card.hostname}
        </span>
        <span className={`dns-host-role dns-host-role-${card.role ?? 'unknown'}`}>{dnsRoleBadge(card.role)}</span>
      </div>
      <div className="service-addrs" title="Address in the lab world, and where the server really listens on this machine (UDP and TCP)">
        {formatHostPort(card.virtualAddress, card.wellKnownPort)} → {formatHostPort(card.address, card.port)}
      </div>
      {card.zones.length > 0 && <div className="dns-host-zones" title="The zones it answers for (their files are in the DNS panel's Zones tab)">serves {card.zones.join(', ')}</div>}
      {card.services.map((s) => (
        <div key={s.id} data-testid="service" data-service-id={s.id} data-state={s.state}>
          <div className="dns-host-transport">
            <span className="dns-transport-name">{s.transport}</span>
            <span className={`state state-${s.state}`}>{STATE_LABEL[s.state]}</span>
            <span className="muted" title={connectionCountText(s)}>
              {connectionCountText(s)}
            </span>
            <StartStop service={s} {...actions} />
          </div>
          {s.state === 'failed' && s.error && <div className="service-error">{s.error}</div>}
          {actions.errors[s.id] && <div className="service-error">{actions.errors[s.id]}</div>}
        </div>
      ))}
    </section>
  );
}
