import { describe, expect, it } from 'vitest';
import { message } from '../test-helpers.js';
import { capLog, lineOrder, lowerBound, mergeEntries, upperBound } from './log-order.js';
import type { LogEntry, SystemEntry } from './messages-slice.js';

/** A key as the core makes it: wall clock, counter, sender. */
const key = (l: number, c = 0, peer = 'aaaa111122223333'): string => `${String(l).padStart(15, '0')}.${String(c).padStart(6, '0')}.${peer}`;
const at = (l: number, overrides: Partial<Parameters<typeof message>[0]> = {}) => message({ id: `m${l}`, order: key(l), ...overrides });
const TEMPLATE = message();
/** The same entry as `at`, for the 100,000-entry tests: a copy of one template, without the helper's string work. */
const fast = (l: number): LogEntry => ({ ...TEMPLATE, id: `m${l}`, order: key(l) });
const line = (text: string, newest: string | null, seq: number, now = 0): SystemEntry => ({ kind: 'system', id: `s${seq}`, text, ts: now, tone: 'info', order: lineOrder(newest, now, seq) });
const ids = (log: readonly LogEntry[]): string[] => log.map((e) => e.id);
const sorted = (log: readonly LogEntry[]): boolean => log.every((e, i) => i === 0 || (log[i - 1] as LogEntry).order <= e.order);

describe('mergeEntries', () => {
  it('appends messages newer than the log at its end', () => {
    const log = [at(1), at(2)];
    const { log: next, inserted } = mergeEntries(log, [at(3), at(4)]);
    expect(ids(next)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(ids(inserted)).toEqual(['m3', 'm4']);
    expect(ids(log)).toEqual(['m1', 'm2']);
  });

  it('puts a repaired or late message at its key, not at the end', () => {
    const { log } = mergeEntries([at(10), at(20), at(30)], [at(15), at(40), at(5)]);
    expect(ids(log)).toEqual(['m5', 'm10', 'm15', 'm20', 'm30', 'm40']);
  });

  it('merges a history page older than everything above it, in its own order', () => {
    const live = [at(100), at(101)];
    const page = [at(3), at(1), at(2)];
    expect(ids(mergeEntries(live, page).log)).toEqual(['m1', 'm2', 'm3', 'm100', 'm101']);
  });

  it('drops copies of a message already in the log or earlier in the batch: same sender and id at the same key', () => {
    const log = [at(1), at(2), at(3)];
    const overlap = [at(2, { history: true }), at(3, { history: true }), at(4), at(4)];
    const { log: next, inserted } = mergeEntries(log, overlap);
    expect(ids(next)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(ids(inserted)).toEqual(['m4']);
    // The copy already shown stays (not the history copy).
    expect(next[1]?.kind !== 'system' && next[1]?.history).toBeUndefined();
  });

  it('keeps two different messages that collide on a key, the newcomer after', () => {
    const first = at(7, { id: 'a' });
    const other = at(7, { id: 'b', peerId: 'bbbb111122223333' });
    expect(ids(mergeEntries([first, at(8)], [other]).log)).toEqual(['a', 'b', 'm8']);
  });

  it('returns the same array when nothing new goes in', () => {
    const log = [at(1), at(2)];
    expect(mergeEntries(log, []).log).toBe(log);
    expect(mergeEntries(log, [at(2)]).log).toBe(log);
  });

  // 100,000 entries are built (and copied) for real: allocation-bound, a few seconds on a loaded
  // 2-core machine where it takes 0.3 s alone. The limit is for a hang, not a speed target; the
  // speed this test is about is counted in reads, which no machine changes.
  it('reads O(log n) keys to append to or insert into 100,000 messages', { timeout: 60_000 }, () => {
    let reads = 0;
    // Entries whose key counts every read: a scan over the log would show up as ~100,000 reads.
    // One getter on a shared prototype, not a property defined on each of 100,000 objects (that alone took a second).
    const { order: _order, ...fields } = at(0);
    class Counted {
      constructor(readonly key: string) {}
      get order(): string {
        reads++;
        return this.key;
      }
    }
    const counted = (l: number): LogEntry => Object.assign(new Counted(key(l * 2)), fields, { id: `m${l * 2}` }) as unknown as LogEntry;
    const big = Array.from({ length: 100_000 }, (_, i) => counted(i));
    reads = 0;
    const appended = mergeEntries(big, [at(300_000)]).log;
    expect(appended).toHaveLength(100_001);
    expect(reads).toBeLessThan(60);
    reads = 0;
    const inserted = mergeEntries(big, [at(100_001)]).log;
    expect(reads).toBeLessThan(60);
    expect(ids(inserted.slice(50_000, 50_003))).toEqual(['m100000', 'm100001', 'm100002']);
  });

  // Correctness at scale, not speed: the generous limit is for a hang (see above).
  it('keeps 100,000 messages sorted through live batches, late repairs and history pages', { timeout: 60_000 }, () => {
    let log: readonly LogEntry[] = [];
    // Live traffic in batches of 1,000 (every merge copies the log once, so 1,000 batches of 100
    // cost the test 50 million copies and seconds on a busy machine; a frame's batch in the app
    // is the same code path), every tenth batch with a repaired message from long before.
    for (let b = 0; b < 100; b++) {
      const batch = Array.from({ length: 1_000 }, (_, i) => fast(1_000_000 + b * 10_000 + i * 2));
      if (b % 10 === 9) batch.push(fast(1_000_000 + (b - 5) * 10_000 + 1));
      log = mergeEntries(log, batch).log;
    }
    log = mergeEntries(log, Array.from({ length: 200 }, (_, i) => fast(i))).log;
    expect(log).toHaveLength(100_000 + 10 + 200);
    expect(sorted(log)).toBe(true);
    expect(new Set(ids(log)).size).toBe(log.length);
  });
});

describe('lineOrder', () => {
  it('puts a line just after the newest entry, before anything newer', () => {
    const log = [at(10), at(20)];
    const gap = line('2 messages from alice could not be recovered.', key(20), 1);
    const { log: next } = mergeEntries(log, [gap, at(21), at(19)]);
    expect(ids(next)).toEqual(['m10', 'm19', 'm20', 's1', 'm21']);
  });

  it('keeps lines written in a row in their order, with keys that do not grow', () => {
    const first = line('a', key(20), 1);
    const second = line('b', first.order, 2);
    const third = line('c', second.order, 3);
    expect(first.order < second.order && second.order < third.order).toBe(true);
    expect(third.order).toHaveLength(first.order.length);
    expect(third.order < key(21)).toBe(true);
  });

  it('in an empty log, follows the wall clock: older history sorts above it, live messages below', () => {
    const joined = line('Joined', null, 1, 5_000);
    const { log } = mergeEntries([joined], [at(4_999), at(5_001)]);
    expect(ids(log)).toEqual(['m4999', 's1', 'm5001']);
  });
});

describe('binary search', () => {
  it('finds the first entry not below and the first above a key', () => {
    const log = [at(1), at(3), at(3, { id: 'x' }), at(5)];
    expect(lowerBound(log, key(3))).toBe(1);
    expect(upperBound(log, key(3))).toBe(3);
    expect(upperBound(log, key(9))).toBe(4);
    expect(lowerBound(log, key(0))).toBe(0);
  });
});

describe('capLog', () => {
  it('keeps the newest lines and trims a tenth at a time when over the cap', () => {
    const log = Array.from({ length: 101 }, (_, i) => at(i));
    const next = capLog(log, 100);
    expect(next).toHaveLength(90);
    expect(next[next.length - 1]?.id).toBe('m100');
    const full = log.slice(0, 100);
    expect(capLog(full, 100)).toBe(full);
  });
});
