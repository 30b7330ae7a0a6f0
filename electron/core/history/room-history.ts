/**
 * A room's message history on disk: one append-only log per room (see record-codec.ts for the
 * format). Appends are written to the OS before `append` returns, fsynced about once a second;
 * opening reads only the end of the file; past `maxBytes` the log is compacted to its newest half.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, rmSync, writeSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { compactLog, syncDirectory, type Compacted } from './compaction.js';
import { countLines, LogFile, type IoCounters } from './log-file.js';
import { roomPaths, type RoomPaths } from './paths.js';
import { findKey, readPage, readSince, scanKeys, searchText, type ReadContext } from './reader.js';
import { encodeRecords, NEWLINE } from './record-codec.js';
import { inspectTail, linesFromCheckpoint, type TailInspection } from './tail-check.js';
import type { HistoryCursor, HistoryOrder, HistoryPage, HistoryRecord, HistoryStats, RoomHistory, RoomHistoryOptions, SearchOptions, SearchResult } from './types.js';

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/** Keys remembered to skip duplicate appends (a history answer repeating what is stored). */
const RECENT_KEYS = 4096;
/** Counting a log without a usable checkpoint waits this long after open, not to compete with the first reads. */
const COUNT_DELAY_MS = 1000;
/** After a failed compaction, the next attempt waits this long. */
const COMPACTION_RETRY_MS = 30_000;
const MAX_PAGE = 10_000;
const NEWLINE_BYTE = Buffer.from([NEWLINE]);

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function clampCount(count: number): number {
  return Number.isFinite(count) ? Math.max(0, Math.min(MAX_PAGE, Math.floor(count))) : 0;
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}

class FileRoomHistory implements RoomHistory {
  private closed = false;
  private dirty = false;
  private syncing: Promise<void> | null = null;
  private compacting: Promise<void> | null = null;
  private compactRetryAt = 0;
  /** The last append was cut short: the next one starts with a newline to end the torn line. */
  private tornWrite = false;
  private lastCrc: string;
  private lines: number;
  private linesExact: boolean;
  /** Lines appended this session (lets a background count add what came in meanwhile). */
  private appendedLines = 0;
  private readonly averageLineBytes: number;
  private readonly tornAtOpen: number;
  /** Logical offsets of corrupt lines met, so each is counted once. */
  private readonly corrupt = new Set<number>();
  private readonly recent = new Set<string>();
  private compactions = 0;
  private writeErrors = 0;
  private duplicatesSkipped = 0;
  private syncs = 0;
  private readonly maxBytes: number;
  private readonly clock: Clock;
  private readonly timers: TimerHandle[] = [];

  constructor(
    private readonly paths: RoomPaths,
    private file: LogFile,
    private readonly io: IoCounters,
    private readonly options: RoomHistoryOptions,
    inspection: TailInspection,
    lines: number | null,
  ) {
    this.maxBytes = Math.max(4096, options.maxBytes ?? DEFAULT_MAX_BYTES);
    this.clock = options.clock ?? systemClock;
    this.lastCrc = inspection.lastCrc;
    this.tornAtOpen = inspection.torn;
    for (const offset of inspection.corrupt) this.noteCorrupt(offset);
    for (let i = inspection.recentKeys.length - 1; i >= 0; i--) this.remember(inspection.recentKeys[i]!);
    this.averageLineBytes = inspection.averageLineBytes || 400;
    this.lines = lines ?? 0;
    this.linesExact = lines !== null;
    this.timers.push(
      this.clock.every(options.syncIntervalMs ?? 1000, () => {
        if (this.dirty) this.flush().catch((error: unknown) => this.report(error));
      }),
    );
    if (!this.linesExact) this.timers.push(this.clock.after(COUNT_DELAY_MS, () => void this.countAll()));
    // Over the bound already (a smaller maxBytes, or a crash in a burst that outran compaction).
    this.maybeCompact();
  }

  append(records: readonly HistoryRecord[]): number {
    if (this.closed || records.length === 0) return 0;
    const fresh: HistoryRecord[] = [];
    const batchKeys = new Set<string>();
    for (const record of records) {
      if (this.recent.has(record.key) || batchKeys.has(record.key)) {
        this.duplicatesSkipped++;
        continue;
      }
      batchKeys.add(record.key);
      fresh.push(record);
    }
    if (fresh.length === 0) return 0;
    const batch = encodeRecords(fresh);
    if (batch.oversized > 0) {
      this.writeErrors += batch.oversized;
      this.report(new Error(`${batch.oversized} history record(s) too large to store`));
    }
    if (batch.records.length === 0) return 0;

    const prefixed = this.tornWrite;
    const bytes = prefixed ? Buffer.concat([NEWLINE_BYTE, batch.bytes]) : batch.bytes;
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(this.file.fd, bytes, written, bytes.length - written);
    } catch (error) {
      this.writeErrors++;
      this.report(error);
    }
    if (written === 0) return 0;

    const complete = written === bytes.length;
    const newlines = complete ? batch.records.length + (prefixed ? 1 : 0) : countNewlines(bytes.subarray(0, written));
    const stored = newlines - (prefixed ? 1 : 0);
    this.tornWrite = bytes[written - 1] !== NEWLINE;
    if (complete) this.lastCrc = batch.lastCrc;
    this.file.size += written;
    this.dirty = true;
    this.lines += newlines;
    this.appendedLines += newlines;
    for (let i = 0; i < stored; i++) this.remember(batch.records[i]!.key);
    this.maybeCompact();
    return stored;
  }

  async flush(): Promise<void> {
    while (this.compacting) await this.compacting;
    while (this.syncing) await this.syncing.catch(() => undefined);
    if (!this.dirty) return;
    this.dirty = false;
    const file = this.file.acquire();
    this.syncing = file.sync().finally(() => {
      file.release();
      this.syncing = null;
    });
    try {
      await this.syncing;
    } catch (error) {
      this.dirty = true;
      throw toError(error);
    }
    this.syncs++;
    this.saveCheckpoint();
  }

  tail(count: number): Promise<HistoryPage> {
    return this.pageBefore(Infinity, count);
  }

  before(cursor: HistoryCursor, count: number): Promise<HistoryPage> {
    return this.pageBefore(cursor, count);
  }

  since(order: HistoryOrder, max: number): Promise<HistoryRecord[]> {
    return this.reading((ctx) => readSince(ctx, order, clampCount(max)));
  }

  search(text: string, max: number, options: SearchOptions = {}): Promise<SearchResult> {
    return this.reading(async (ctx, base) => {
      const end = options.before === undefined ? Infinity : options.before - base;
      const result = await searchText(ctx, end, text, clampCount(max), options);
      return { records: result.records, cursor: result.cursor === null ? null : result.cursor + base };
    });
  }

  find(key: string): Promise<HistoryRecord | null> {
    return this.reading((ctx) => findKey(ctx, Infinity, key));
  }

  keys(onKey: (key: string) => void): Promise<void> {
    return this.reading((ctx) => scanKeys(ctx, Infinity, onKey));
  }

  stats(): HistoryStats {
    return {
      records: this.linesExact ? this.lines : Math.round(this.file.size / this.averageLineBytes),
      recordsExact: this.linesExact,
      bytes: this.file.size,
      tornRecordsSkipped: this.tornAtOpen + this.corrupt.size,
      compactions: this.compactions,
      writeErrors: this.writeErrors,
      duplicatesSkipped: this.duplicatesSkipped,
      syncs: this.syncs,
      bytesRead: this.io.bytesRead,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) timer.cancel();
    while (this.compacting) await this.compacting;
    try {
      await this.flush();
      this.saveCheckpoint();
    } finally {
      this.file.release();
    }
  }

  private pageBefore(end: number, count: number): Promise<HistoryPage> {
    return this.reading(async (ctx, base) => {
      const page = await readPage(ctx, end - base, clampCount(count));
      return { records: page.records, cursor: page.cursor === null ? null : page.cursor + base };
    });
  }

  /** Runs a query on the current file generation, keeping it open until done even if compaction replaces it. */
  private async reading<T>(query: (ctx: ReadContext, base: number) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('room history is closed');
    const file = this.file.acquire();
    try {
      return await query({ file, noteCorrupt: (offset) => this.noteCorrupt(file.base + offset) }, file.base);
    } finally {
      file.release();
    }
  }

  private noteCorrupt(offset: number): void {
    if (this.corrupt.size < 100_000) this.corrupt.add(offset);
  }

  private remember(key: string): void {
    this.recent.delete(key);
    this.recent.add(key);
    if (this.recent.size > RECENT_KEYS) this.recent.delete(this.recent.values().next().value as string);
  }

  private report(error: unknown): void {
    this.options.onError?.(toError(error));
  }

  private saveCheckpoint(): void {
    if (!this.linesExact || this.tornWrite) return;
    try {
      writeCheckpoint(this.paths, { size: this.file.size, lines: this.lines, lastCrc: this.file.size > 0 ? this.lastCrc : '' });
    } catch (error) {
      this.report(error);
    }
  }

  private maybeCompact(): void {
    if (this.file.size <= this.maxBytes || this.compacting || this.closed || this.clock.now() < this.compactRetryAt) return;
    const live = this.file;
    this.compacting = compactLog(live, Math.floor(this.maxBytes / 2), this.paths, this.io, (compacted) => this.switchTo(live, compacted))
      .catch((error: unknown) => {
        this.compactRetryAt = this.clock.now() + COMPACTION_RETRY_MS;
        this.report(error);
      })
      .finally(() => {
        this.compacting = null;
        // Appends during a compaction can leave the new file over the bound already.
        this.maybeCompact();
      });
  }

  private switchTo(live: LogFile, { next, lines }: Compacted): void {
    this.file = next;
    live.release();
    this.lines = lines;
    this.linesExact = true;
    this.compactions++;
    this.saveCheckpoint();
  }

  /** Counts the lines of a log that had no usable checkpoint. */
  private async countAll(): Promise<void> {
    if (this.closed || this.linesExact) return;
    const file = this.file.acquire();
    const end = file.size;
    const appendedBefore = this.appendedLines;
    try {
      const counted = await countLines(file, 0, end);
      if (file !== this.file || this.linesExact || this.closed) return;
      this.lines = counted + (this.appendedLines - appendedBefore);
      this.linesExact = true;
      this.saveCheckpoint();
    } catch (error) {
      this.report(error);
    } finally {
      file.release();
    }
  }
}

/** Opens (creating if needed) the history of `roomKey` in folder `dir`. */
export async function openRoomHistory(dir: string, roomKey: string, options: RoomHistoryOptions = {}): Promise<RoomHistory> {
  // Messages are private: a folder we create is this user's alone (the files are 0600).
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const paths = roomPaths(dir, roomKey);
  rmSync(paths.compactTmp, { force: true });
  rmSync(paths.metaTmp, { force: true });
  const fd = openSync(paths.log, 'a+', 0o600);
  try {
    const size = fstatSync(fd).size;
    if (size === 0) syncDirectory(dir);
    const io: IoCounters = { bytesRead: 0 };
    const file = new LogFile(fd, 0, size, io);
    const inspection = await inspectTail(file);
    if (inspection.validEnd < size) {
      ftruncateSync(fd, inspection.validEnd);
      fsyncSync(fd);
      file.size = inspection.validEnd;
    }
    const checkpoint = file.size === 0 ? null : readCheckpoint(paths);
    const lines = file.size === 0 ? 0 : checkpoint ? await linesFromCheckpoint(file, checkpoint) : null;
    return new FileRoomHistory(paths, file, io, options, inspection, lines);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Deletes a room's history (for "forget this room"). The room must not be open. */
export async function deleteRoomHistory(dir: string, roomKey: string): Promise<void> {
  const paths = roomPaths(dir, roomKey);
  await Promise.all([paths.log, paths.compactTmp, paths.meta, paths.metaTmp].map((path) => rm(path, { force: true })));
}
