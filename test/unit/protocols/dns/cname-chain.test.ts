import { describe, expect, it } from 'vitest';
import { DNS_MAX_CNAME_CHAIN, type DnsRecord, RR_TYPE, followCnames } from '../../../../src/protocols/dns';

const CNAME = (name: string, target: string): DnsRecord => ({ name, type: RR_TYPE.CNAME, class: 1, ttl: 60, data: { kind: 'CNAME', target } });
const A = (name: string, address: string): DnsRecord => ({ name, type: RR_TYPE.A, class: 1, ttl: 60, data: { kind: 'A', address } });

/** c0 -> c1 -> ... -> cN, each an alias of the next. */
const aliases = (n: number): DnsRecord[] => Array.from({ length: n }, (_, i) => CNAME(`c${i}.lab.test.`, `c${i + 1}.lab.test.`));

/** The walk without its records, which each case checks by owner name. */
function shape(start: string, records: readonly DnsRecord[], options?: Parameters<typeof followCnames>[2]) {
  const { records: followed, ...rest } = followCnames(start, records, options);
  return { ...rest, owners: followed.map((r) => r.name) };
}

describe('followCnames', () => {
  it('follows a plain chain to its canonical name, records in order, whatever order the answers are in', () => {
    const answers = [A('c2.lab.test.', '192.0.2.1'), ...aliases(2).reverse()];
    expect(shape('c0.lab.test.', answers)).toEqual({
      names: ['c0.lab.test.', 'c1.lab.test.', 'c2.lab.test.'],
      owners: ['c0.lab.test.', 'c1.lab.test.'],
      end: 'c2.lab.test.',
      loop: false,
      cut: false,
    });
  });

  it('ends where the asked type is, and at a name that has nothing', () => {
    expect(shape('www.lab.test.', [CNAME('www.lab.test.', 'host.lab.test.'), A('host.lab.test.', '192.0.2.1')], { type: RR_TYPE.A })).toMatchObject({ end: 'host.lab.test.', loop: false, cut: false });
    expect(shape('www.lab.test.', [CNAME('www.lab.test.', 'gone.lab.test.')], { type: RR_TYPE.A })).toMatchObject({ names: ['www.lab.test.', 'gone.lab.test.'], end: 'gone.lab.test.', loop: false, cut: false });
    expect(shape('plain.lab.test.', [A('plain.lab.test.', '192.0.2.1')])).toEqual({ names: ['plain.lab.test.'], owners: [], end: 'plain.lab.test.', loop: false, cut: false });
  });

  it('follows nothing for a CNAME or ANY question: the alias is the answer (RFC 1034 §3.6.2)', () => {
    for (const type of [RR_TYPE.CNAME, RR_TYPE.ANY]) {
      expect(shape('c0.lab.test.', aliases(2), { type })).toEqual({ names: ['c0.lab.test.'], owners: [], end: 'c0.lab.test.', loop: false, cut: false });
    }
  });

  it('stops at a loop with the record that closes it, each name once', () => {
    const answers = [CNAME('a.lab.test.', 'b.lab.test.'), CNAME('b.lab.test.', 'c.lab.test.'), CNAME('c.lab.test.', 'b.lab.test.')];
    expect(shape('a.lab.test.', answers)).toEqual({
      names: ['a.lab.test.', 'b.lab.test.', 'c.lab.test.'],
      owners: ['a.lab.test.', 'b.lab.test.', 'c.lab.test.'],
      end: 'b.lab.test.',
      loop: true,
      cut: false,
    });
    expect(shape('self.lab.test.', [CNAME('self.lab.test.', 'SELF.lab.test')])).toMatchObject({ names: ['self.lab.test.'], owners: ['self.lab.test.'], loop: true });
  });

  it(`follows ${DNS_MAX_CNAME_CHAIN} records (DNS_MAX_CNAME_CHAIN) and cuts a longer chain, or at the limit given`, () => {
    const atLimit = shape('c0.lab.test.', aliases(DNS_MAX_CNAME_CHAIN));
    expect(atLimit).toMatchObject({ end: `c${DNS_MAX_CNAME_CHAIN}.lab.test.`, loop: false, cut: false });
    expect(atLimit.owners).toHaveLength(DNS_MAX_CNAME_CHAIN);

    const over = shape('c0.lab.test.', aliases(DNS_MAX_CNAME_CHAIN + 1));
    expect(over).toMatchObject({ end: `c${DNS_MAX_CNAME_CHAIN}.lab.test.`, loop: false, cut: true });
    expect(over.owners).toHaveLength(DNS_MAX_CNAME_CHAIN);
    expect(over.names).toHaveLength(DNS_MAX_CNAME_CHAIN + 1);

    expect(shape('c0.lab.test.', aliases(3), { limit: 2 })).toMatchObject({ end: 'c2.lab.test.', cut: true });
    expect(shape('c0.lab.test.', aliases(DNS_MAX_CNAME_CHAIN + 1), { limit: DNS_MAX_CNAME_CHAIN + 1 })).toMatchObject({ end: `c${DNS_MAX_CNAME_CHAIN + 1}.lab.test.`, cut: false });
  });

  it('compares names without case and with or without the final dot, keeping them as written', () => {
    const answers = [CNAME('WWW.Lab.Test', 'Host.LAB.test.'), CNAME('host.lab.test.', 'www.lab.test')];
    expect(shape('www.lab.test.', answers)).toEqual({
      names: ['www.lab.test.', 'Host.LAB.test.'],
      owners: ['WWW.Lab.Test', 'host.lab.test.'],
      end: 'www.lab.test',
      loop: true,
      cut: false,
    });
  });

  it('asks a look-up of the caller’s instead of searching a list (a zone’s data)', () => {
    const zone = new Map(aliases(2).map((r) => [r.name, r]));
    const asked: string[] = [];
    const walk = followCnames('c0.lab.test.', (name) => {
      asked.push(name);
      return zone.get(name);
    });
    expect(walk).toMatchObject({ names: ['c0.lab.test.', 'c1.lab.test.', 'c2.lab.test.'], end: 'c2.lab.test.', loop: false, cut: false });
    expect(asked).toEqual(['c0.lab.test.', 'c1.lab.test.', 'c2.lab.test.']);
  });
});
