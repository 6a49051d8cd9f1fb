import { describe, expect, it } from 'vitest';
import { PAIRER_MAX_PENDING, RequestPairer } from '../../../src/protocols/core/pairing';

describe('RequestPairer', () => {
  it('pairs responses with requests first in, first out (pipelining order)', () => {
    const p = new RequestPairer();
    expect(p.add(1, 'request')).toBeUndefined();
    expect(p.add(2, 'request')).toBeUndefined();
    expect(p.add(3, 'response')).toEqual([1, 3]);
    expect(p.add(4, 'request')).toBeUndefined();
    expect(p.add(5, 'response')).toEqual([2, 5]);
    expect(p.add(6, 'response')).toEqual([4, 6]);
    expect(p.pendingCount).toBe(0);
  });

  it('leaves a response with no pending request unpaired, and ignores other messages', () => {
    const p = new RequestPairer();
    expect(p.add(1, 'response')).toBeUndefined();
    expect(p.add(2, 'other')).toBeUndefined();
    expect(p.add(3, 'request')).toBeUndefined();
    expect(p.add(4, 'other')).toBeUndefined();
    expect(p.add(5, 'response')).toEqual([3, 5]);
    expect(p.add(6, 'response')).toBeUndefined();
  });

  it('pairs a whole list', () => {
    const roles = ['request', 'request', 'response', 'other', 'response', 'response'] as const;
    expect(RequestPairer.pairAll(roles.map((role, i) => ({ id: i + 1, role })))).toEqual([
      [1, 3],
      [2, 5],
    ]);
  });

  it('forgets the oldest request once more than the limit are waiting', () => {
    const p = new RequestPairer(3);
    for (let id = 1; id <= 3; id++) p.add(id, 'request');
    expect(p.dropped).toBe(0);
    p.add(4, 'request');
    expect(p.pendingCount).toBe(3);
    expect(p.dropped).toBe(1);
    expect(p.pendingIds()).toEqual([2, 3, 4]);
    expect(p.add(5, 'response')).toEqual([2, 5]);
    expect(p.pendingIds()).toEqual([3, 4]); // what a connection ending now leaves unanswered
  });

  it('holds PAIRER_MAX_PENDING requests by default and drops the next one over', () => {
    const p = new RequestPairer();
    for (let id = 1; id <= PAIRER_MAX_PENDING; id++) p.add(id, 'request');
    expect(p.dropped).toBe(0);
    p.add(PAIRER_MAX_PENDING + 1, 'request');
    expect(p.dropped).toBe(1);
    expect(p.add(0, 'response')).toEqual([2, 0]);
  });

  it('stays in order across many pairs (internal compaction)', () => {
    const p = new RequestPairer();
    const pairs: Array<[number, number] | undefined> = [];
    for (let i = 0; i < 1000; i++) {
      p.add(2 * i, 'request');
      if (i % 2 === 1) {
        pairs.push(p.add(-i, 'response'));
        pairs.push(p.add(-i - 0.5, 'response'));
      }
    }
    expect(pairs.map((x) => x?.[0])).toEqual(Array.from({ length: 1000 }, (_, k) => 2 * k));
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => new RequestPairer(0)).toThrow(RangeError);
  });
});
