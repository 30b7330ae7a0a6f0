/**
 * Sizes and timings on a 1,000,000-record room. Wall-clock numbers are printed, never asserted
 * (machines differ); what is asserted is the work done: opening and reading the last screenful
 * must read a tiny, bounded part of the file.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { writeCheckpoint } from './checkpoint.js';
import { roomPaths } from './paths.js';
import { encodeRecords } from './record-codec.js';
import { openRoomHistory } from './room-history.js';
import { StoredKeys } from './stored-keys.js';
import { testOrder, testRecord } from './test-records.js';

const RECORDS = 1_000_000;
const ROOM = 'big-room';
let dir: string;
let fileBytes = 0;
let lastCrc = '';

const ms = (start: bigint): string => (Number(process.hrtime.bigint() - start) / 1e6).toFixed(1);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mchist-perf-'));
  const started = process.hrtime.bigint();
  const fd = openSync(roomPaths(dir, ROOM).log, 'w');
  try {
    for (let i = 0; i < RECORDS; i += 20_000) {
      const batch = encodeRecords(Array.from({ length: 20_000 }, (_, j) => testRecord(i + j, i + j === 10 ? 'the lonely needle' : `message number ${i + j} in a big room`)));
      writeSync(fd, batch.bytes);
      fileBytes += batch.bytes.length;
      lastCrc = batch.lastCrc;
    }
  } finally {
    closeSync(fd);
  }
  console.log(`built ${RECORDS} records, ${(fileBytes / 2 ** 20).toFixed(0)} MiB, in ${ms(started)} ms`);
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('a 1,000,000-record room', () => {
  it('opens and shows the last screenful reading only its end (no checkpoint: after a crash)', async () => {
    const started = process.hrtime.bigint();
    const history = await openRoomHistory(dir, ROOM, { clock: new FakeClock(), maxBytes: 2 ** 40 });
    const page = await history.tail(50);
    const took = ms(started);
    const { bytesRead, recordsExact, records } = history.stats();
    console.log(`open + tail(50) without checkpoint: ${took} ms, ${bytesRead} bytes read, ~${records} records (estimate)`);
    expect(page.records.map((r) => r.key)).toEqual(Array.from({ length: 50 }, (_, i) => `peer1/m${RECORDS - 50 + i}`));
    expect(bytesRead).toBeLessThan(2 * 2 ** 20);
    expect(recordsExact).toBe(false);
    expect(Math.abs(records - RECORDS) / RECORDS).toBeLessThan(0.05);
    await history.close();
  });

  it('opens with an exact count from the checkpoint, and pages, since and search stay bounded', async () => {
    writeCheckpoint(roomPaths(dir, ROOM), { size: fileBytes, lines: RECORDS, lastCrc });
    let started = process.hrtime.bigint();
    const history = await openRoomHistory(dir, ROOM, { clock: new FakeClock(), maxBytes: 2 ** 40 });
    const page = await history.tail(50);
    const took = ms(started);
    const afterTail = history.stats();
    console.log(`open + tail(50) with checkpoint: ${took} ms, ${afterTail.bytesRead} bytes read`);
    expect(afterTail).toMatchObject({ records: RECORDS, recordsExact: true, tornRecordsSkipped: 0 });
    expect(afterTail.bytesRead).toBeLessThan(2 * 2 ** 20);

    started = process.hrtime.bigint();
    let cursor = page.cursor!;
    for (let i = 0; i < 20; i++) cursor = (await history.before(cursor, 50)).cursor!;
    console.log(`20 pages back with before(cursor, 50): ${ms(started)} ms`);

    started = process.hrtime.bigint();
    const recent = await history.since(testOrder(RECORDS - 201), 200);
    console.log(`since(200 back, 200): ${ms(started)} ms`);
    expect(recent).toHaveLength(200);

    started = process.hrtime.bigint();
    const hits = await history.search('NUMBER 99999', 5);
    console.log(`search, recent hits: ${ms(started)} ms`);
    expect(hits.records.map((r) => r.key)).toEqual(['peer1/m999999', 'peer1/m999998', 'peer1/m999997', 'peer1/m999996', 'peer1/m999995']);

    started = process.hrtime.bigint();
    const needle = await history.search('LONELY needle', 5);
    const before = history.stats().bytesRead;
    console.log(`search, whole file (${(fileBytes / 2 ** 20).toFixed(0)} MiB) for a rare word: ${ms(started)} ms`);
    expect(needle.records.map((r) => r.key)).toEqual(['peer1/m10']);
    expect(before).toBeGreaterThan(fileBytes);
    await history.close();
  }, 60_000);

  it('reads every stored key into the replay ledger in one pass', async () => {
    const history = await openRoomHistory(dir, ROOM, { clock: new FakeClock(), maxBytes: 2 ** 40 });
    const keys = new StoredKeys();
    const started = process.hrtime.bigint();
    await history.keys((key) => keys.add(key));
    keys.seal();
    console.log(`key index of ${keys.size} records (${(fileBytes / 2 ** 20).toFixed(0)} MiB): ${ms(started)} ms, ${(keys.size * 8) / 2 ** 20} MiB`);
    expect(keys.size).toBe(RECORDS);
    expect(keys.has('peer1/m10')).toBe(true);
    expect(keys.has(`peer1/m${RECORDS}`)).toBe(false);
    await history.close();
  }, 60_000);

  it('compacts to the bound (64 MiB keeps its newest 32 MiB)', async () => {
    const started = process.hrtime.bigint();
    const history = await openRoomHistory(dir, ROOM, { clock: new FakeClock(), maxBytes: 64 * 2 ** 20 });
    await history.flush();
    const took = ms(started);
    const stats = history.stats();
    console.log(`compaction of ${(fileBytes / 2 ** 20).toFixed(0)} MiB to ${(stats.bytes / 2 ** 20).toFixed(1)} MiB (${stats.records} records): ${took} ms`);
    expect(stats).toMatchObject({ compactions: 1, recordsExact: true });
    expect(stats.bytes).toBeLessThanOrEqual(32 * 2 ** 20);
    expect((await history.tail(1)).records[0]!.key).toBe(`peer1/m${RECORDS - 1}`);
    await history.close();
  }, 60_000);
});

describe('append throughput', () => {
  it('writes every append through to the OS, and still keeps up', async () => {
    const history = await openRoomHistory(dir, 'append-room', { clock: new FakeClock() });
    const records = Array.from({ length: 100_000 }, (_, i) => testRecord(i));
    let started = process.hrtime.bigint();
    for (let i = 0; i < 50_000; i++) history.append([records[i]!]);
    const single = Number(process.hrtime.bigint() - started) / 1e9;
    started = process.hrtime.bigint();
    for (let i = 50_000; i < 100_000; i += 100) history.append(records.slice(i, i + 100));
    const batched = Number(process.hrtime.bigint() - started) / 1e9;
    started = process.hrtime.bigint();
    await history.flush();
    console.log(
      `append: ${Math.round(50_000 / single)} records/s one per call, ${Math.round(50_000 / batched)} records/s in batches of 100; flush (fsync) ${ms(started)} ms`,
    );
    expect(history.stats().records).toBe(100_000);
    await history.close();
  }, 60_000);
});
