import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../../src/shared/capture';
import type { CaptureSink } from '../../../src/main/lab/capture/tap';
import { UdpFlowTable } from '../../../src/main/lab/capture/udp-flows';

function recordingSink() {
  const events: string[] = [];
  let next = 1;
  const sink: CaptureSink = {
    open: (info) => {
      const id = next++;
      events.push(`open ${id} ${info.client.port}`);
      return { ...info, id, openedAt: 0, state: 'open' } as ReturnType<CaptureSink['open']>;
    },
    data: () => {},
    datagram: (id, dir) => events.push(`${dir} ${id}`),
    close: (id, by) => events.push(`close ${id} by ${by}`),
    reset: () => {},
  };
  return { sink, events };
}

const server: Endpoint = { address: '127.0.0.1', port: 10053, virtualAddress: '128.238.29.22', virtualPort: 53 };
const meta = { protocol: 'dns', server, clientEndpoint: (address: string, port: number): Endpoint => ({ address, port, virtualAddress: '128.238.2.93', virtualPort: port }) };

describe('UDP flows', () => {
  it('keeps one flow per client address and port, and closes the oldest past the bound', () => {
    const { sink, events } = recordingSink();
    const flows = new UdpFlowTable(sink, meta, 2);
    const a = flows.inbound('127.0.0.1', 40001, new Uint8Array([1]));
    expect(flows.inbound('127.0.0.1', 40001, new Uint8Array([2]))).toBe(a);
    flows.inbound('127.0.0.1', 40002, new Uint8Array([3]));
    flows.inbound('127.0.0.1', 40003, new Uint8Array([4]));
    expect(flows.size).toBe(2);
    expect(events).toContain(`close ${a} by server`);
  });

  it('ends one flow when its client socket is gone', () => {
    const { sink, events } = recordingSink();
    const flows = new UdpFlowTable(sink, meta);
    const id = flows.inbound('127.0.0.1', 40001, new Uint8Array([1]));
    expect(flows.close('127.0.0.1', 40001)).toBe(true);
    expect(flows.close('127.0.0.1', 40001)).toBe(false);
    expect(events.at(-1)).toBe(`close ${id} by client`);
    expect(flows.size).toBe(0);
  });

  it('ends flows idle for longer than the limit, and only those', () => {
    const { sink, events } = recordingSink();
    const flows = new UdpFlowTable(sink, meta);
    const old = flows.inbound('127.0.0.1', 40001, new Uint8Array([1]));
    const t = performance.now();
    const fresh = flows.inbound('127.0.0.1', 40002, new Uint8Array([1]));
    expect(flows.closeIdle(30_000, t + 1_000)).toBe(0);
    // 30 s after both datagrams, both flows are idle.
    expect(flows.closeIdle(30_000, t + 30_001)).toBe(2);
    expect(events).toEqual(expect.arrayContaining([`close ${old} by server`, `close ${fresh} by server`]));
    expect(flows.size).toBe(0);
  });
});
