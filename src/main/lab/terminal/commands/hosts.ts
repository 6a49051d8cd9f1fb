import { stringWidth } from '../cell-width';
import { UsageError, type ShellCommand, type ShellContext } from '../shell-command';

type WorldHost = ReturnType<ShellContext['connector']['listHosts']>[number];
type WorldService = WorldHost['services'][number];

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

function describeService(service: WorldService): string {
  return `${service.protocol} ${service.port}/${service.transport} (lab port ${service.realPort})`;
}

/** The first TCP service in the world, for an `open` example that works. */
function exampleTarget(hosts: readonly WorldHost[]): string | undefined {
  for (const host of hosts) {
    const tcp = host.services.find((s) => s.transport === 'tcp');
    if (tcp) return `open ${host.name} ${tcp.port}`;
  }
  return undefined;
}

export const hostsCommand: ShellCommand = {
  name: 'hosts',
  usage: 'hosts',
  summary: 'list the hosts of the lab world with their addresses and services',
  run(args: string[], ctx: ShellContext): void {
    if (args.length > 0) throw new UsageError('takes no arguments');
    const hosts = ctx.connector.listHosts();
    if (hosts.length === 0) {
      ctx.println('The lab world has no hosts yet.');
      return;
    }
    const nameWidth = Math.max(stringWidth('HOST'), ...hosts.map((h) => stringWidth(h.name)));
    const addressWidth = Math.max(stringWidth('ADDRESS'), ...hosts.map((h) => stringWidth(h.address)));
    const indent = ' '.repeat(nameWidth + 2 + addressWidth + 2);
    ctx.println(`${padEnd('HOST', nameWidth)}  ${padEnd('ADDRESS', addressWidth)}  SERVICES`);
    for (const host of hosts) {
      const services = host.services.map(describeService);
      const first = services[0] ?? '(no services)';
      ctx.println(`${padEnd(host.name, nameWidth)}  ${padEnd(host.address, addressWidth)}  ${first}`);
      for (const more of services.slice(1)) ctx.println(indent + more);
      if (host.aliases.length > 0) ctx.println(`  also known as: ${host.aliases.join(', ')}`);
    }
    const example = exampleTarget(hosts);
    if (example) ctx.println(`Connect with: open HOST PORT, e.g. ${example}`);
  },
};
