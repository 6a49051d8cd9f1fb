import { describe, expect, it } from 'vitest';
import { MAX_UNCLAIMED_CHARS, MAX_UNCLAIMED_TERMINALS, TerminalRouter } from '../../../src/renderer/lib/terminal-router';

describe('TerminalRouter', () => {
  it('hands output written before the tab claimed its id over on claim, then delivers directly', () => {
    const router = new TerminalRouter();
    router.deliver('t1', 'Protolab terminal\r\n');
    router.deliver('t1', 'protolab> ');
    const got: string[] = [];
    const release = router.claim('t1', (d) => got.push(d));
    expect(got).toEqual(['Protolab terminal\r\nprotolab> ']);
    router.deliver('t1', 'x');
    expect(got).toEqual(['Protolab terminal\r\nprotolab> ', 'x']);
    release();
    router.deliver('t1', 'y');
    expect(got).toHaveLength(2);
    expect(router.unclaimedCount).toBe(1);
  });

  it('keeps only the newest MAX_UNCLAIMED_CHARS of unclaimed output', () => {
    const router = new TerminalRouter();
    router.deliver('t1', 'a'.repeat(MAX_UNCLAIMED_CHARS));
    router.deliver('t1', 'bc');
    let held = '';
    router.claim('t1', (d) => (held += d));
    expect(held).toHaveLength(MAX_UNCLAIMED_CHARS);
    expect(held.endsWith('abc')).toBe(true);
  });

  it('forgets the oldest unclaimed terminal past MAX_UNCLAIMED_TERMINALS', () => {
    const router = new TerminalRouter();
    for (let i = 0; i <= MAX_UNCLAIMED_TERMINALS; i++) router.deliver(`t${i}`, `${i}`);
    expect(router.unclaimedCount).toBe(MAX_UNCLAIMED_TERMINALS);
    const got: string[] = [];
    router.claim('t0', (d) => got.push(d));
    expect(got).toEqual([]);
    router.claim(`t${MAX_UNCLAIMED_TERMINALS}`, (d) => got.push(d));
    expect(got).toEqual([`${MAX_UNCLAIMED_TERMINALS}`]);
  });

  it('does not let an old release undo a newer claim of the same id', () => {
    const router = new TerminalRouter();
    const first: string[] = [];
    const second: string[] = [];
    const releaseFirst = router.claim('t1', (d) => first.push(d));
    router.claim('t1', (d) => second.push(d));
    releaseFirst();
    router.deliver('t1', 'z');
    expect(first).toEqual([]);
    expect(second).toEqual(['z']);
    router.clear();
    router.deliver('t1', 'after clear');
    expect(second).toEqual(['z']);
  });
});
