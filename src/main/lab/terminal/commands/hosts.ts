import { stringWidth } from '../cell-width';
import { UsageError, type ShellCommand, type ShellContext } from '../shell-command';
import type { HostListing, LocalHost, ServiceListing } from '../types';
import { MIN_COLUMN_CELLS, wrapLine } from '../word-wrap';

const COLUMN_GAP = '  ';
/** Services under their host when the table is stacked for a narrow terminal. */
const STACKED_INDENT = '  ';

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

function describeService(service: ServiceListing): string {
  const state = service.state && service.state !== 'listening' ? `, ${service.state}` : '';
  return `${service.protocol} ${service.port}/${service.transport} (lab port ${service.realPort}${state})`;
}

function describeLocalHost(local: LocalHost): string {
  return `You are ${local.name} (${local.address}); captures show your connections coming from there.`;
}

/** The first TCP service in the world, for an `open` example that works. */
export function exampleTarget(hosts: readonly HostListing[]): { host: string; service: ServiceListing } | undefined {
  for (const host of hosts) {
    const tcp = host.services.find((s) => s.transport === 'tcp');
    if (tcp) return { host: host.name, service: tcp };
  }
  return undefined;
}

/**
 * HOST, ADDRESS and SERVICES side by side, each service on its own row and wrapped inside its
 * column; when the terminal leaves the SERVICES column too narrow, each host's services are listed
 * under it instead.
 */
function hostTable(hosts: readonly HostListing[], width: number): string[] {
  const nameWidth = Math.max(stringWidth('HOST'), ...hosts.map((h) => stringWidth(h.name)));
  const addressWidth = Math.max(stringWidth('ADDRESS'), ...hosts.map((h) => stringWidth(h.address)));
  const servicesColumn = nameWidth + COLUMN_GAP.length + addressWidth + COLUMN_GAP.length;
  const rows: string[] = [];
  const aliasRows = (host: HostListing): string[] => (host.aliases.length > 0 ? wrapLine(`  also known as: ${host.aliases.join(', ')}`, width) : []);

  if (width - servicesColumn < MIN_COLUMN_CELLS) {
    for (const host of hosts) {
      rows.push(...wrapLine(`${host.name}${COLUMN_GAP}${host.address}`, width));
      const services = host.services.length > 0 ? host.services.map(describeService) : ['(no services)'];
      for (const service of services) rows.push(...wrapLine(STACKED_INDENT + service, width));
      rows.push(...aliasRows(host));
    }
    return rows;
  }

  const indent = ' '.repeat(servicesColumn);
  rows.push(`${padEnd('HOST', nameWidth)}${COLUMN_GAP}${padEnd('ADDRESS', addressWidth)}${COLUMN_GAP}SERVICES`);
  for (const host of hosts) {
    const services = host.services.length > 0 ? host.services.map(describeService) : ['(no services)'];
    const cells = services.flatMap((service) => wrapLine(service, width - servicesColumn));
    const [first = '', ...more] = cells;
    rows.push(`${padEnd(host.name, nameWidth)}${COLUMN_GAP}${padEnd(host.address, addressWidth)}${COLUMN_GAP}${first}`);
    for (const cell of more) rows.push(indent + cell);
    rows.push(...aliasRows(host));
  }
  return rows;
}

export const hostsCommand: ShellCommand = {
  name: 'hosts',
  usage: 'hosts',
  summary: 'list the hosts of the lab world with their addresses and services',
  run(args: string[], ctx: ShellContext): void {
    if (args.length > 0) throw new UsageError('takes no arguments');
    ctx.println(describeLocalHost(ctx.connector.localHost()));
    const hosts = ctx.connector.listHosts();
    if (hosts.length === 0) {
      ctx.println('The lab world has no hosts yet.');
      return;
    }
    for (const row of hostTable(hosts, ctx.columns)) ctx.println(row);
    const example = exampleTarget(hosts);
    if (example) ctx.println(`Connect with: open HOST PORT, e.g. open ${example.host} ${example.service.port}`);
  },
};
