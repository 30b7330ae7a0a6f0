import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRoomHistory } from './room-history.js';
import type { HistoryRecord, RoomHistory } from './types.js';

const WRITER = fileURLToPath(new URL('./burst-writer.fixture.ts', import.meta.url));
const ROOM = 'crash-room';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mchist-crash-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the writer until it has printed `atLeast` appends, then SIGKILLs it mid-burst. One node
 * process (tsx as a loader, not the tsx CLI, which would put the writer in a grandchild the
 * signal never reaches). Returns the last number it printed.
 */
function burstThenKill(atLeast: number, maxBytes?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', WRITER, dir, ROOM, ...(maxBytes ? [String(maxBytes)] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    let last = 0;
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (/^\d+$/.test(line)) last = Number(line);
      if (!killed && last >= atLeast) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(last);
      else reject(new Error(`writer exited early (code ${code}, signal ${signal})`));
    });
  });
}

async function allRecords(history: RoomHistory): Promise<HistoryRecord[]> {
  let page = await history.tail(5000);
  const records = [...page.records];
  while (page.cursor !== null) {
    page = await history.before(page.cursor, 5000);
    records.unshift(...page.records);
  }
  return records;
}

describe('kill -9 during a burst', () => {
  it('loses no record whose append returned', async () => {
    const last = await burstThenKill(30_000);
    const history = await openRoomHistory(dir, ROOM);
    try {
      const records = await allRecords(history);
      const stored = new Set(records.map((r) => r.key));
      const missing = Array.from({ length: last }, (_, i) => `peer1/m${i}`).filter((key) => !stored.has(key));
      console.log(`kill -9 after ${last} printed appends: ${records.length} stored, torn tail skipped: ${history.stats().tornRecordsSkipped}`);
      expect(missing).toEqual([]);
      expect(records.length).toBeGreaterThanOrEqual(last);
      expect(history.stats().tornRecordsSkipped).toBeLessThanOrEqual(1);
    } finally {
      await history.close();
    }
  }, 60_000);

  it('loses none of the newest records when killed while compacting', async () => {
    const maxBytes = 256 * 1024;
    const last = await burstThenKill(30_000, maxBytes);
    const history = await openRoomHistory(dir, ROOM, { maxBytes });
    try {
      expect(readdirSync(dir).some((name) => name.endsWith('.compact'))).toBe(false);
      const bytesAtKill = history.stats().bytes;
      await history.flush(); // a burst can outrun compaction: opening compacts what is over the bound
      const records = await allRecords(history);
      const numbers = records.map((r) => Number(r.key.slice('peer1/m'.length)));
      const first = numbers[0]!;
      console.log(`kill -9 while compacting after ${last} appends: records ${first}..${numbers[numbers.length - 1]} kept, ${bytesAtKill} bytes at kill, ${history.stats().bytes} after`);
      // A contiguous run up to at least the last printed append.
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => first + i));
      expect(first + numbers.length).toBeGreaterThanOrEqual(last);
      expect(history.stats().bytes).toBeLessThanOrEqual(maxBytes);
      expect(history.stats().tornRecordsSkipped).toBeLessThanOrEqual(1);
    } finally {
      await history.close();
    }
  }, 60_000);
});
