/**
 * Queries over one log file generation, all reading backwards from an offset: pages for
 * scrolling up, recent records for late joiners, text search. Nothing here parses more than the
 * lines it returns (search parses only lines whose raw bytes contain the query).
 */
import { scanBackward } from './line-scanner.js';
import type { LogFile } from './log-file.js';
import { compareOrder, decodeLine, keyOfLine } from './record-codec.js';
import { textMatcher } from './text-matcher.js';
import type { HistoryOrder, HistoryPage, HistoryRecord, SearchOptions, SearchResult } from './types.js';

export interface ReadContext {
  readonly file: LogFile;
  /** A corrupt line at this file offset was skipped. */
  noteCorrupt(offset: number): void;
}

/** A late message is appended late: how many older records in a row end the search for newer ones. */
export const SINCE_REORDER_WINDOW = 1000;

function sortedByOrder(newestFirst: HistoryRecord[]): HistoryRecord[] {
  // Stable sort: records with equal order keep the order they were stored in.
  return newestFirst.reverse().sort((a, b) => compareOrder(a.order, b.order));
}

/** Up to `count` records stored before file offset `end`. */
export async function readPage(ctx: ReadContext, end: number, count: number): Promise<HistoryPage> {
  const found: HistoryRecord[] = [];
  const seen = new Set<string>();
  let cursor: number | null = null;
  if (count > 0 && end > 0) {
    scan: for await (const batch of scanBackward(ctx.file, Math.min(end, ctx.file.size), { chunkBytes: 64 * 1024, maxChunkBytes: 1 << 20 })) {
      for (const line of batch.lines) {
        const record = line.bytes && decodeLine(line.bytes);
        if (!record) {
          ctx.noteCorrupt(line.start);
          continue;
        }
        if (seen.has(record.key)) continue;
        seen.add(record.key);
        found.push(record);
        if (found.length >= count) {
          cursor = line.start > 0 ? line.start : null;
          break scan;
        }
      }
    }
  }
  return { records: sortedByOrder(found), cursor };
}

/** Up to `max` of the most recently stored records ordered after `after`, sorted by order. */
export async function readSince(ctx: ReadContext, after: HistoryOrder, max: number): Promise<HistoryRecord[]> {
  const found: HistoryRecord[] = [];
  const seen = new Set<string>();
  let olderInARow = 0;
  if (max > 0) {
    scan: for await (const batch of scanBackward(ctx.file, ctx.file.size, { chunkBytes: 64 * 1024, maxChunkBytes: 1 << 20 })) {
      for (const line of batch.lines) {
        const record = line.bytes && decodeLine(line.bytes);
        if (!record) {
          ctx.noteCorrupt(line.start);
          continue;
        }
        if (compareOrder(record.order, after) <= 0) {
          if (++olderInARow >= SINCE_REORDER_WINDOW) break scan;
          continue;
        }
        olderInARow = 0;
        if (seen.has(record.key)) continue;
        seen.add(record.key);
        found.push(record);
        if (found.length >= max) break scan;
      }
    }
  }
  return sortedByOrder(found);
}

export async function searchText(ctx: ReadContext, end: number, query: string, max: number, options: SearchOptions): Promise<SearchResult> {
  const matcher = textMatcher(query);
  const found: HistoryRecord[] = [];
  const seen = new Set<string>();
  const limit = Math.min(end, ctx.file.size);
  const budget = options.maxScanBytes ?? Infinity;
  if (query === '' || max <= 0 || limit <= 0) return { records: [], cursor: null };
  const chunkBytes = Math.max(1, Math.min(256 * 1024, budget));
  for await (const batch of scanBackward(ctx.file, limit, { chunkBytes, maxChunkBytes: Math.max(chunkBytes, Math.min(1 << 20, budget)) })) {
    const oldest = batch.lines[batch.lines.length - 1]!.start;
    if (!matcher.mayMatch(batch.region)) {
      for (const line of batch.lines) if (!line.bytes) ctx.noteCorrupt(line.start);
    } else {
      for (const line of batch.lines) {
        if (line.bytes && !matcher.mayMatch(line.bytes)) continue;
        const record = line.bytes && decodeLine(line.bytes);
        if (!record) {
          ctx.noteCorrupt(line.start);
          continue;
        }
        if (!matcher.matches(record) || seen.has(record.key)) continue;
        seen.add(record.key);
        found.push(record);
        if (found.length >= max) return { records: found, cursor: line.start > 0 ? line.start : null };
      }
    }
    if (limit - oldest >= budget) return { records: found, cursor: oldest > 0 ? oldest : null };
  }
  return { records: found, cursor: null };
}

/**
 * Every key stored before file offset `end`, newest first, reading the file once in large
 * chunks; yields to the event loop between chunks, so a 64 MiB history does not stall the process.
 */
export async function scanKeys(ctx: ReadContext, end: number, onKey: (key: string) => void): Promise<void> {
  for await (const batch of scanBackward(ctx.file, Math.min(end, ctx.file.size), { chunkBytes: 256 * 1024, maxChunkBytes: 1 << 20 })) {
    for (const line of batch.lines) {
      const key = line.bytes && keyOfLine(line.bytes);
      if (key) onKey(key);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The newest record stored under `key` before file offset `end`, or null: one backward pass, parsing only that line. */
export async function findKey(ctx: ReadContext, end: number, key: string): Promise<HistoryRecord | null> {
  for await (const batch of scanBackward(ctx.file, Math.min(end, ctx.file.size), { chunkBytes: 256 * 1024, maxChunkBytes: 1 << 20 })) {
    for (const line of batch.lines) {
      if (!line.bytes || keyOfLine(line.bytes) !== key) continue;
      const record = decodeLine(line.bytes);
      if (record) return record;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return null;
}
