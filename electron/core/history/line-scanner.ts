/**
 * Reads a log file's lines from a given offset towards its start, in chunks, so the end of a
 * huge file is reached without touching the rest. Lines come newest first, in batches (one per
 * chunk) together with the bytes they span, which lets search test a whole chunk at once.
 */
import { MAX_LINE_BYTES, NEWLINE } from './record-codec.js';

export interface Line {
  /** File offset of the line's first byte. */
  readonly start: number;
  /** Offset just past the content; the newline, if any, is at `end`. */
  readonly end: number;
  /** False only for a last line whose newline was never written (a torn append). */
  readonly terminated: boolean;
  /** The content, newline excluded; null for a line longer than MAX_LINE_BYTES (never a record). */
  readonly bytes: Buffer | null;
}

export interface LineBatch {
  /** Newest first. */
  readonly lines: readonly Line[];
  /** The bytes of the lines that have `bytes`, newlines included. */
  readonly region: Buffer;
}

export interface Readable {
  read(position: number, length: number): Promise<Buffer>;
}

export interface ScanOptions {
  /** First read; later reads double up to `maxChunkBytes`. Default 64 KiB. */
  readonly chunkBytes?: number;
  readonly maxChunkBytes?: number;
  /** Stop at this offset instead of the start of the file. */
  readonly floor?: number;
}

const EMPTY = Buffer.alloc(0);

export async function* scanBackward(file: Readable, end: number, options: ScanOptions = {}): AsyncGenerator<LineBatch> {
  let chunk = options.chunkBytes ?? 64 * 1024;
  const maxChunk = Math.max(chunk, options.maxChunkBytes ?? chunk);
  const floor = options.floor ?? 0;
  let pos = end;
  /** Bytes [pos, pos + carry.length): a line whose start is not read yet, its newline included. */
  let carry: Buffer = EMPTY;
  /** While skipping an oversized line: where its content ends, else -1. */
  let skipEnd = -1;
  let skipTerminated = false;

  while (pos > floor || carry.length > 0 || skipEnd >= 0) {
    let data = carry;
    if (pos > floor) {
      const n = Math.min(chunk, pos - floor);
      pos -= n;
      const read = await file.read(pos, n);
      if (read.length < n) throw new Error(`history file is shorter than expected (${pos + read.length} < ${pos + n})`);
      data = carry.length > 0 ? Buffer.concat([read, carry]) : read;
      chunk = Math.min(maxChunk, chunk * 2);
    }
    const atFloor = pos === floor;
    const lines: Line[] = [];
    let stop = data.length;

    if (skipEnd >= 0) {
      const nl = data.lastIndexOf(NEWLINE);
      if (nl < 0 && !atFloor) continue;
      lines.push({ start: pos + nl + 1, end: skipEnd, terminated: skipTerminated, bytes: null });
      stop = nl + 1;
      skipEnd = -1;
    }
    const regionEnd = stop;

    while (stop > 0) {
      const terminated = data[stop - 1] === NEWLINE;
      const contentEnd = terminated ? stop - 1 : stop;
      const nl = contentEnd > 0 ? data.lastIndexOf(NEWLINE, contentEnd - 1) : -1;
      if (nl < 0 && !atFloor) break;
      const lineStart = nl + 1;
      const oversized = stop - lineStart > MAX_LINE_BYTES;
      lines.push({ start: pos + lineStart, end: pos + contentEnd, terminated, bytes: oversized ? null : data.subarray(lineStart, contentEnd) });
      stop = lineStart;
    }

    carry = data.subarray(0, stop);
    if (carry.length > MAX_LINE_BYTES) {
      skipTerminated = carry[carry.length - 1] === NEWLINE;
      skipEnd = pos + carry.length - (skipTerminated ? 1 : 0);
      carry = EMPTY;
    }
    if (lines.length > 0) yield { lines, region: data.subarray(stop, regionEnd) };
  }
}
