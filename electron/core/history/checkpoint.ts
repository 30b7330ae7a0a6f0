/**
 * A small side file remembering how many lines the log had at a given size, so opening a big
 * room does not count them all. Only a hint: it names the checksum of the line ending at that
 * size, and is ignored when the log no longer has that line there (compaction, truncation,
 * restore from backup). Written atomically (temp file + rename); never fsynced: losing it costs
 * one background count.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { RoomPaths } from './paths.js';

export interface Checkpoint {
  /** Log size the count refers to (a line boundary). */
  readonly size: number;
  readonly lines: number;
  /** CRC field of the line ending at `size` ('' when size is 0). */
  readonly lastCrc: string;
}

export function readCheckpoint(paths: RoomPaths): Checkpoint | null {
  try {
    const value: unknown = JSON.parse(readFileSync(paths.meta, 'utf8'));
    if (typeof value !== 'object' || value === null) return null;
    const { v, size, lines, lastCrc } = value as Record<string, unknown>;
    if (v !== 1 || !Number.isSafeInteger(size) || !Number.isSafeInteger(lines) || typeof lastCrc !== 'string') return null;
    if ((size as number) < 0 || (lines as number) < 0) return null;
    return { size: size as number, lines: lines as number, lastCrc };
  } catch {
    return null;
  }
}

export function writeCheckpoint(paths: RoomPaths, checkpoint: Checkpoint): void {
  writeFileSync(paths.metaTmp, JSON.stringify({ v: 1, ...checkpoint }), { mode: 0o600 });
  renameSync(paths.metaTmp, paths.meta);
}
