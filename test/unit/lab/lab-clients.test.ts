import { describe, expect, it } from 'vitest';
import { LabClientRegistry, MAX_EXPECTED_PER_PORT } from '../../../src/main/lab/services/lab-clients';

const cache = { name: 'cache.poly.edu', address: '128.238.2.10' };
const relay = { name: 'mail.crepes.fr', address: '198.51.100.25' };

describe('lab client announcements', () => {
  it('matches an accept to the announcement with the same local port', () => {
    const r = new LabClientRegistry();
    r.expect(10080, relay).connected(50001);
    r.expect(10080, cache).connected(50002);
    expect(r.claim(10080, 50002)).toEqual(cache);
    expect(r.claim(10080, 50001)).toEqual(relay);
    expect(r.claim(10080, 50001)).toBeUndefined();
  });

  it('takes an announcement not yet connected in order, when the accept comes first', () => {
    const r = new LabClientRegistry();
    r.expect(10080, cache);
    expect(r.claim(10080, 50003)).toEqual(cache);
    expect(r.claim(10080, 50004)).toBeUndefined();
  });

  it('never hands a connected announcement to another port, and forgets cancelled ones', () => {
    const r = new LabClientRegistry();
    r.expect(10080, cache).connected(50005);
    expect(r.claim(10080, 50006)).toBeUndefined(); // the student's own connection
    const t = r.expect(11081, cache);
    t.cancel();
    expect(r.claim(11081, 50007)).toBeUndefined();
  });

  it('keeps at most MAX_EXPECTED_PER_PORT announcements per port', () => {
    const r = new LabClientRegistry();
    for (let i = 0; i <= MAX_EXPECTED_PER_PORT; i++) r.expect(10080, { name: `h${i}`, address: '1.1.1.1' }).connected(40000 + i);
    expect(r.claim(10080, 40000)).toBeUndefined(); // the oldest was dropped
    expect(r.claim(10080, 40000 + MAX_EXPECTED_PER_PORT)?.name).toBe(`h${MAX_EXPECTED_PER_PORT}`);
  });
});
