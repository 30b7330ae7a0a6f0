/**
 * Bounding a log: copy its newest part (from a line boundary) to a temp file, fsync it, rename it
 * over the log. Whatever moment a crash hits, the log is either the old file or the complete new
 * one; a leftover temp file is removed on the next open. The bulk is copied asynchronously; the
 * bytes appended meanwhile are copied, synced and the file renamed in one synchronous step, so no
 * append can fall between the copy and the switch.
 */
import { closeSync, fsync, fsyncSync, openSync, renameSync, rmSync, write, writeSync } from 'node:fs';
import { LogFile, type IoCounters } from './log-file.js';
import { NEWLINE } from './record-codec.js';
import type { RoomPaths } from './paths.js';

const COPY_CHUNK = 1 << 20;

/** The first line start at or after `pos`. */
export async function lineStartFrom(file: LogFile, pos: number): Promise<number> {
  if (pos <= 0) return 0;
  for (let at = pos - 1; at < file.size; ) {
    const chunk = await file.read(at, Math.min(64 * 1024, file.size - at));
    if (chunk.length === 0) break;
    const nl = chunk.indexOf(NEWLINE);
    if (nl >= 0) return at + nl + 1;
    at += chunk.length;
  }
  return file.size;
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}

function writeAll(fd: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (offset: number): void => {
      if (offset >= bytes.length) return resolve();
      write(fd, bytes, offset, bytes.length - offset, null, (error, written) => (error ? reject(error) : step(offset + written)));
    };
    step(0);
  });
}

function writeAllSync(fd: number, bytes: Buffer): void {
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

export interface Compacted {
  /** The new log, already renamed into place; appends go here from now on. */
  readonly next: LogFile;
  /** Its line count. */
  readonly lines: number;
}

/**
 * Rewrites the log keeping about its newest `keepBytes`. `commit` runs in the same synchronous
 * step as the rename: it must switch the writer to the new file.
 */
export async function compactLog(live: LogFile, keepBytes: number, paths: RoomPaths, io: IoCounters, commit: (compacted: Compacted) => void): Promise<void> {
  const cut = await lineStartFrom(live, live.size - keepBytes);
  rmSync(paths.compactTmp, { force: true });
  const fd = openSync(paths.compactTmp, 'a+', 0o600);
  let renamed = false;
  try {
    let lines = 0;
    let copied = cut;
    const snapshot = live.size;
    while (copied < snapshot) {
      const chunk = await live.read(copied, Math.min(COPY_CHUNK, snapshot - copied));
      if (chunk.length === 0) throw new Error('history file shrank during compaction');
      await writeAll(fd, chunk);
      lines += countNewlines(chunk);
      copied += chunk.length;
    }
    await new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));

    // From here to the commit: synchronous, so every append lands either before the copy or in the new file.
    if (live.size > copied) {
      const rest = live.readSync(copied, live.size - copied);
      writeAllSync(fd, rest);
      lines += countNewlines(rest);
      copied += rest.length;
    }
    fsyncSync(fd);
    renameSync(paths.compactTmp, paths.log);
    renamed = true;
    commit({ next: new LogFile(fd, live.base + cut, copied - cut, io), lines });
  } catch (error) {
    if (!renamed) {
      closeSync(fd);
      rmSync(paths.compactTmp, { force: true });
    }
    throw error;
  }
  syncDirectory(paths.dir);
}

/** Makes a rename or a new file in `dir` durable. Best effort: directories cannot be opened on Windows. */
export function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not supported here (Windows); the rename itself is still atomic.
  }
}
