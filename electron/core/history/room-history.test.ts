import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { waitFor } from '../../../tests/helpers/wait.js';
import { deleteRoomHistory, openRoomHistory } from './room-history.js';
import { roomPaths } from './paths.js';
import { testOrder, testRecord, testRecords } from './test-records.js';
import type { HistoryRecord, RoomHistory, RoomHistoryOptions } from './types.js';

let dir: string;
const open: RoomHistory[] = [];
const ROOM = '239.255.0.1:5000';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mchist-'));
});

afterEach(async () => {
  for (const history of open.splice(0)) await history.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

async function openRoom(options: RoomHistoryOptions = {}, room = ROOM): Promise<RoomHistory> {
  const history = await openRoomHistory(dir, room, { clock: new FakeClock(), ...options });
  open.push(history);
  return history;
}

async function reopen(history: RoomHistory, options: RoomHistoryOptions = {}): Promise<RoomHistory> {
  await history.close();
  return openRoom(options);
}

const keys = (records: readonly HistoryRecord[]): string[] => records.map((r) => r.key);
const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `peer1/m${from + i}`);
const logPath = (): string => roomPaths(dir, ROOM).log;

/** Every record, oldest page first, by paging back from the end. */
async function everything(history: RoomHistory): Promise<HistoryRecord[]> {
  let page = await history.tail(37);
  const pages = [page.records];
  while (page.cursor !== null) {
    page = await history.before(page.cursor, 37);
    pages.unshift(page.records);
  }
  return pages.flat();
}

describe('room history', () => {
  it('stores, flushes and reads back the last records, also after reopening', async () => {
    let history = await openRoom();
    for (let i = 0; i < 120; i += 10) expect(history.append(testRecords(i, 10))).toBe(10);
    await history.flush();
    expect(history.stats()).toMatchObject({ records: 120, recordsExact: true, tornRecordsSkipped: 0, compactions: 0, syncs: 1 });
    const tail = await history.tail(50);
    expect(keys(tail.records)).toEqual(range(70, 120));
    expect(tail.records[49]).toEqual(testRecord(119));
    expect(tail.cursor).not.toBeNull();

    history = await reopen(history);
    expect(keys((await history.tail(50)).records)).toEqual(range(70, 120));
    expect(history.stats()).toMatchObject({ records: 120, recordsExact: true, bytes: statSync(logPath()).size });
    expect(keys((await history.tail(500)).records)).toEqual(range(0, 120));
    expect((await history.tail(500)).cursor).toBeNull();
    expect((await history.tail(0)).records).toEqual([]);
  });

  it('pages backwards to the first record', async () => {
    let history = await openRoom();
    history.append(testRecords(0, 200));
    history = await reopen(history);
    const tail = await history.tail(50);
    const previous = await history.before(tail.cursor!, 50);
    expect(keys(previous.records)).toEqual(range(100, 150));
    expect(keys(await everything(history))).toEqual(range(0, 200));
  });

  it('keeps a late record in its place by order within a page', async () => {
    const history = await openRoom();
    history.append(testRecords(0, 10));
    history.append([testRecord(3.5)]);
    history.append(testRecords(10, 2));
    expect(keys((await history.tail(5)).records)).toEqual(['peer1/m3.5', 'peer1/m8', 'peer1/m9', 'peer1/m10', 'peer1/m11']);
  });

  it('answers since(order) with the newest records after it', async () => {
    const history = await openRoom();
    history.append(testRecords(0, 120));
    expect(keys(await history.since(testOrder(100), 50))).toEqual(range(101, 120));
    expect(keys(await history.since(testOrder(100), 5))).toEqual(range(115, 120));
    expect(await history.since(testOrder(119), 5)).toEqual([]);
    expect(keys(await history.since('', 1000))).toEqual(range(0, 120));
    // A late arrival with an old order is not newer.
    history.append([testRecord(50.5)]);
    expect(keys(await history.since(testOrder(117), 10))).toEqual(range(118, 120));
  });

  it('searches text case-insensitively, newest first, bounded, resumable', async () => {
    const history = await openRoom();
    const texts = ['Hello world', 'nothing here', 'say HELLO', 'Grüße aus Köln', 'he said "hello"', 'unrelated'];
    history.append(texts.map((text, i) => testRecord(i, text)));
    history.append(testRecords(100, 300));

    const hello = await history.search('hello', 10);
    expect(hello.records.map((r) => r.message.text)).toEqual(['he said "hello"', 'say HELLO', 'Hello world']);
    expect(hello.cursor).toBeNull();
    expect((await history.search('KÖLN', 10)).records.map((r) => r.message.text)).toEqual(['Grüße aus Köln']);
    expect((await history.search('"hello"', 10)).records).toHaveLength(1);
    expect((await history.search('no such text', 10)).records).toEqual([]);
    expect((await history.search('', 10)).records).toEqual([]);
    // Field names and other fields of the stored JSON do not match.
    expect((await history.search('alice', 10)).records).toEqual([]);

    const first = await history.search('hello', 2);
    expect(first.records).toHaveLength(2);
    const rest = await history.search('hello', 2, { before: first.cursor! });
    expect(rest.records.map((r) => r.message.text)).toEqual(['Hello world']);

    const bounded = await history.search('hello', 10, { maxScanBytes: 1000 });
    expect(bounded.records).toEqual([]);
    expect(bounded.cursor).not.toBeNull();
  });

  it('skips records already stored, also after reopening', async () => {
    let history = await openRoom();
    expect(history.append(testRecords(0, 10))).toBe(10);
    expect(history.append([testRecord(5), testRecord(10), testRecord(10)])).toBe(1);
    history = await reopen(history);
    expect(history.append(testRecords(8, 5))).toBe(2);
    expect(keys(await everything(history))).toEqual(range(0, 13));
    expect(history.stats().duplicatesSkipped).toBe(3);
  });

  it('keeps rooms apart, and deletes one', async () => {
    const a = await openRoom({}, 'room-a');
    const b = await openRoom({}, 'ROOM-A');
    a.append(testRecords(0, 3));
    b.append(testRecords(10, 2));
    expect(keys((await a.tail(10)).records)).toEqual(range(0, 3));
    expect(keys((await b.tail(10)).records)).toEqual(range(10, 12));
    await a.close();
    await deleteRoomHistory(dir, 'room-a');
    const again = await openRoom({}, 'room-a');
    expect((await again.tail(10)).records).toEqual([]);
  });

  it('fsyncs about once a second while dirty, not per append', async () => {
    const clock = new FakeClock();
    const history = await openRoom({ clock });
    history.append(testRecords(0, 5));
    history.append(testRecords(5, 5));
    expect(history.stats().syncs).toBe(0);
    clock.advance(1000);
    // flush waits for the fsync the timer started, and adds none when nothing is dirty: an awaited event, not a pause.
    await history.flush();
    expect(history.stats().syncs).toBe(1);
    clock.advance(3000);
    await history.flush();
    expect(history.stats().syncs).toBe(1);
  });

  it.runIf(existsSync('/dev/full'))('never throws from append when the disk is full: counts and reports', async () => {
    symlinkSync('/dev/full', logPath());
    const errors: Error[] = [];
    const history = await openRoom({ onError: (error) => errors.push(error) });
    expect(history.append(testRecords(0, 3))).toBe(0);
    expect(history.stats()).toMatchObject({ writeErrors: 1, bytes: 0 });
    expect(errors[0]?.message).toMatch(/ENOSPC/);
  });

  it('is inert after close', async () => {
    const history = await openRoom();
    await history.close();
    expect(history.append(testRecords(0, 1))).toBe(0);
    await expect(history.tail(1)).rejects.toThrow(/closed/);
    await history.close();
  });
});

describe('torn and corrupt records', () => {
  async function writeTen(): Promise<void> {
    const history = await openRoom();
    history.append(testRecords(0, 10));
    await history.close();
  }

  it('skips a record torn mid-write, reports it, appends on, and reopens clean', async () => {
    await writeTen();
    truncateSync(logPath(), statSync(logPath()).size - 25);
    const clock = new FakeClock();
    let history = await openRoom({ clock });
    expect(history.stats().tornRecordsSkipped).toBe(1);
    expect(keys((await history.tail(100)).records)).toEqual(range(0, 9));
    expect(history.append(testRecords(9, 3))).toBe(3);
    history = await reopen(history);
    expect(history.stats()).toMatchObject({ tornRecordsSkipped: 0, records: 12 });
    expect(keys(await everything(history))).toEqual(range(0, 12));
  });

  it('skips garbage appended after the last record', async () => {
    await writeTen();
    appendFileSync(logPath(), 'deadbeef {"k":"half a rec');
    let history = await openRoom();
    expect(history.stats().tornRecordsSkipped).toBe(1);
    expect(keys((await history.tail(100)).records)).toEqual(range(0, 10));
    history.append(testRecords(10, 1));
    history = await reopen(history);
    expect(history.stats().tornRecordsSkipped).toBe(0);
    expect(keys(await everything(history))).toEqual(range(0, 11));
  });

  it('skips a zero-filled tail (what power loss can leave)', async () => {
    await writeTen();
    appendFileSync(logPath(), Buffer.alloc(8192));
    const history = await openRoom();
    expect(history.stats().tornRecordsSkipped).toBe(1);
    expect(keys(await everything(history))).toEqual(range(0, 10));
  });

  it('skips a corrupt record in the middle, counting it once, and keeps its neighbours', async () => {
    const history = await openRoom();
    history.append(testRecords(0, 300));
    await history.close();
    const bytes = readFileSync(logPath());
    const at = bytes.indexOf('message number 150');
    bytes[at]! ^= 0x20; // 'm' -> 'M'
    writeFileSync(logPath(), bytes);
    const reopened = await openRoom();
    const all = await everything(reopened);
    expect(keys(all)).toEqual(range(0, 300).filter((k) => k !== 'peer1/m150'));
    await everything(reopened);
    expect(reopened.stats().tornRecordsSkipped).toBe(1);
  });

  it('loses only the two records whose separating newline rotted', async () => {
    const history = await openRoom();
    history.append(testRecords(0, 20));
    await history.close();
    const bytes = readFileSync(logPath());
    bytes[bytes.indexOf('message number 10') + 30]! = 0x78; // the first newline after it (well within the next line's header offset)
    const nl = bytes.indexOf(0x0a, bytes.indexOf('message number 10'));
    bytes[nl] = 0x78;
    writeFileSync(logPath(), bytes);
    const reopened = await openRoom();
    expect(keys(await everything(reopened))).toEqual(range(0, 20).filter((k) => k !== 'peer1/m10' && k !== 'peer1/m11'));
    expect(reopened.stats().tornRecordsSkipped).toBe(1);
  });

  it('removes a leftover compaction file and ignores a checkpoint that does not fit', async () => {
    await writeTen();
    const paths = roomPaths(dir, ROOM);
    writeFileSync(paths.compactTmp, 'half-written compaction');
    writeFileSync(paths.meta, JSON.stringify({ v: 1, size: 100, lines: 5, lastCrc: '00000000' }));
    const clock = new FakeClock();
    const history = await openRoom({ clock });
    expect(existsSync(paths.compactTmp)).toBe(false);
    expect(history.stats()).toMatchObject({ recordsExact: false });
    clock.advance(1000);
    // The count runs in the background: wait for it to finish, however long the disk takes.
    await waitFor(() => history.stats().recordsExact, 'the background count');
    expect(history.stats()).toMatchObject({ records: 10, recordsExact: true });
  });

  it('counts a log without checkpoint in the background, appends included', async () => {
    await writeTen();
    rmSync(roomPaths(dir, ROOM).meta);
    const clock = new FakeClock();
    const history = await openRoom({ clock });
    expect(history.stats().recordsExact).toBe(false);
    expect(history.stats().records).toBeGreaterThan(5);
    history.append(testRecords(10, 2));
    clock.advance(1000);
    await waitFor(() => history.stats().recordsExact, 'the background count');
    expect(history.stats()).toMatchObject({ records: 12, recordsExact: true });
  });
});

describe('compaction', () => {
  it('keeps the newest records under the bound, and survives reopening', async () => {
    const maxBytes = 64 * 1024;
    let history = await openRoom({ maxBytes });
    const before = await (async () => {
      history.append(testRecords(0, 10));
      return history.tail(5);
    })();
    for (let i = 10; i < 2000; i += 10) history.append(testRecords(i, 10));
    await history.flush();
    const stats = history.stats();
    expect(stats.compactions).toBeGreaterThanOrEqual(1);
    expect(stats.bytes).toBeLessThanOrEqual(maxBytes);
    expect(stats.bytes).toBe(statSync(logPath()).size);
    const all = await everything(history);
    expect(all.length).toBe(stats.records);
    expect(keys(all)).toEqual(range(2000 - all.length, 2000));
    expect(all.length).toBeGreaterThan(50); // about maxBytes / 2 of ~345-byte records
    // A cursor from before compaction points into dropped history: an empty first page.
    expect((await history.before(before.cursor!, 5)).records).toEqual([]);

    history = await reopen(history, { maxBytes });
    expect(history.stats()).toMatchObject({ records: all.length, recordsExact: true, tornRecordsSkipped: 0 });
    expect(keys(await everything(history))).toEqual(keys(all));
    expect(readdirSync(dir).some((name) => name.endsWith('.compact'))).toBe(false);
  });

  it('keeps a cursor valid across compaction, and keeps what is appended while compacting', async () => {
    let history = await openRoom();
    history.append(testRecords(0, 700));
    const size = history.stats().bytes;
    history = await reopen(history, { maxBytes: size + 1000 }); // 700 records fit, 800 do not: keeps ~350
    const page = await history.tail(100); // records 600..699
    history.append(testRecords(700, 100)); // starts a compaction...
    history.append(testRecords(800, 50)); // ...which these land in the middle of
    await history.flush();
    expect(history.stats().compactions).toBe(1);
    expect(keys((await history.before(page.cursor!, 10)).records)).toEqual(range(590, 600));
    expect(keys((await history.tail(150)).records)).toEqual(range(700, 850));
    const all = await everything(history);
    expect(keys(all)).toEqual(range(850 - all.length, 850));
    expect(all.length).toBeLessThan(450);
  });

  it('lets reads under way finish on the file compaction replaced', async () => {
    let history = await openRoom();
    history.append(testRecords(0, 3000));
    history = await reopen(history, { maxBytes: history.stats().bytes + 1000 });
    history.append(testRecords(3000, 200)); // over the bound: compaction starts
    const reads: Promise<void>[] = [];
    let spanning = 0;
    while (history.stats().compactions === 0) {
      reads.push(
        history.tail(1000).then((page) => {
          if (history.stats().compactions > 0) spanning++;
          expect(keys(page.records)).toEqual(range(2200, 3200));
        }),
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(reads);
    expect(spanning).toBeGreaterThan(0);
    expect(keys((await history.tail(1000)).records)).toEqual(range(2200, 3200));
  });
});
