// Maps the world's names and addresses onto loopback: gaia.cs.umass.edu:7 -> 127.0.0.1:10007.
// Every lab client (the terminal now; the proxy, mail relay and resolver later) goes through here,
// so a student can type the course's names and addresses and still never leave the laptop.

import { normalizeHostName } from '../../../protocols/http/authority';
import type { Transport } from '../../../shared/capture';
import type { World, WorldHost, WorldService } from './world';
import { isIPv4, MAX_PORT } from './world';

export interface ServiceBinding {
  host: WorldHost;
  service: WorldService;
  /** Real loopback port. */
  labPort: number;
  /** Why this service cannot listen: its port is past 65535, or another service already has it. */
  problem?: string;
}

export class AddressMap {
  private readonly byName = new Map<string, WorldHost>();
  private readonly byAddress = new Map<string, WorldHost>();
  private readonly byLabPort = new Map<string, ServiceBinding>();
  private readonly all: ServiceBinding[] = [];

  constructor(
    readonly world: World,
    readonly portOffset: number,
    readonly bindAddress = '127.0.0.1',
  ) {
    for (const host of world.hosts) {
      this.byName.set(host.name, host);
      for (const a of host.aliases) this.byName.set(a, host);
      this.byAddress.set(host.address, host);
      for (const service of host.services) {
        const binding: ServiceBinding = { host, service, labPort: this.labPortOf(service) };
        const key = `${service.transport}/${binding.labPort}`;
        const taken = this.byLabPort.get(key);
        if (binding.labPort > MAX_PORT) {
          binding.problem = `${host.name} ${service.protocol} (${service.transport}): port ${service.portSlot ?? service.port} + offset ${portOffset} = ${binding.labPort}, past the last port ${MAX_PORT}; use a smaller --port-offset.`;
        } else if (taken) {
          // Each world host's service needs a loopback port of its own (DESIGN.md §6): the world
          // file gives every host but the default one a portSlot.
          binding.problem = `${host.name} ${service.protocol} (${service.transport}) would listen on ${bindAddress}:${binding.labPort}, which ${taken.host.name} ${taken.service.protocol} already uses; give one of them its own portSlot in world.yaml.`;
        } else {
          this.byLabPort.set(key, binding);
        }
        this.all.push(binding);
      }
    }
  }

  /** portOffset + well-known port for default hosts (DESIGN.md §6), or portOffset + the service's portSlot. */
  labPortOf(service: WorldService): number {
    return this.portOffset + (service.portSlot ?? service.port);
  }

  /** Every service of the world, in world order, including those that cannot listen. */
  bindings(): ServiceBinding[] {
    return [...this.all];
  }

  hostByName(name: string): WorldHost | undefined {
    return this.byName.get(normalizeHostName(name));
  }

  hostByAddress(address: string): WorldHost | undefined {
    return this.byAddress.get(address);
  }

  /** The world host and service behind a real loopback port, if one of the lab's services is there. */
  bindingAtLabPort(port: number, transport: Transport = 'tcp'): ServiceBinding | undefined {
    return this.byLabPort.get(`${transport}/${port}`);
  }

  /**
   * Where a lab client really connects for `host`:`port` as the student typed them. A world name or
   * address uses the world port (7 -> 10007); a loopback address is taken literally.
   */
  resolve(hostText: string, port: number, transport: Transport = 'tcp'): { address: string; port: number; host?: WorldHost; service?: WorldService; virtualAddress: string } | { error: string } {
    if (!Number.isInteger(port) || port < 1 || port > MAX_PORT) return { error: `port must be a number from 1 to ${MAX_PORT}` };
    const text = normalizeHostName(hostText);
    if (text === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(text) || text === '::1') {
      const address = text === 'localhost' ? '127.0.0.1' : text;
      const binding = this.bindingAtLabPort(port, transport);
      return { address, port, host: binding?.host, service: binding?.service, virtualAddress: binding?.host.address ?? address };
    }
    const host = isIPv4(text) ? this.hostByAddress(text) : this.hostByName(text);
    if (!host) return { error: isIPv4(text) ? `no host in the lab world has the address ${text}` : `unknown host '${hostText}'` };
    const service = host.services.find((s) => s.port === port && s.transport === transport);
    // A port the host does not serve still maps by the offset, so the student sees a real refusal.
    const real = service ? this.labPortOf(service) : this.portOffset + port;
    if (real > MAX_PORT) return { error: `port ${port} maps to ${real}, past the last port; lower --port-offset` };
    return { address: this.bindAddress === '0.0.0.0' ? '127.0.0.1' : this.bindAddress, port: real, host, service, virtualAddress: host.address };
  }
}
