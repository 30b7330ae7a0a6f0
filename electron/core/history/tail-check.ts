/**
 * What opening a log looks at: only its end. Finds where the last intact record ends (anything
 * after it is a torn append, or garbage, and is cut off), samples the newest records to seed
 * duplicate detection and estimate the line size, and checks the line-count checkpoint.
 */
import type { Checkpoint } from './checkpoint.js';
import { scanBackward } from './line-scanner.js';
import { countLines, type LogFile } from './log-file.js';
import { decodeLine, lineChecksum, lineIsIntact } from './record-codec.js';

export interface TailInspection {
  /** End of the last intact line: the file is cut back to this. */
  readonly validEnd: number;
  /** Lines after it. */
  readonly torn: number;
  /** CRC field of the last intact line ('' when there is none). */
  readonly lastCrc: string;
  /** Keys of the newest records, newest first. */
  readonly recentKeys: string[];
  /** Offsets of corrupt lines among them. */
  readonly corrupt: number[];
  /** Average line length in the sample (0 when nothing was sampled). */
  readonly averageLineBytes: number;
}

export async function inspectTail(file: LogFile, sampleBytes = 32 * 1024): Promise<TailInspection> {
  let validEnd = -1;
  let torn = 0;
  let lastCrc = '';
  const recentKeys: string[] = [];
  const corrupt: number[] = [];
  let sampled = 0;
  let sampledFrom = 0;
  scan: for await (const batch of scanBackward(file, file.size, { chunkBytes: 2 * sampleBytes, maxChunkBytes: 1 << 20 })) {
    for (const line of batch.lines) {
      if (validEnd < 0) {
        if (!line.terminated || !line.bytes || !lineIsIntact(line.bytes)) {
          torn++;
          continue;
        }
        validEnd = line.end + 1;
        lastCrc = lineChecksum(line.bytes);
      }
      const record = line.bytes && decodeLine(line.bytes);
      if (record) recentKeys.push(record.key);
      else corrupt.push(line.start);
      sampled++;
      sampledFrom = line.start;
      if (validEnd - line.start >= sampleBytes) break scan;
    }
  }
  if (validEnd < 0) validEnd = 0;
  return { validEnd, torn, lastCrc, recentKeys, corrupt, averageLineBytes: sampled > 0 ? (validEnd - sampledFrom) / sampled : 0 };
}

/** A checkpoint further back than this is not worth counting from at open: count in the background. */
const MAX_COUNT_AT_OPEN = 8 * 1024 * 1024;

/** Lines in the file, from the checkpoint plus those after it; null when the checkpoint does not fit this file. */
export async function linesFromCheckpoint(file: LogFile, checkpoint: Checkpoint): Promise<number | null> {
  if (checkpoint.size > file.size || file.size - checkpoint.size > MAX_COUNT_AT_OPEN) return null;
  if (checkpoint.size === 0) {
    if (checkpoint.lines !== 0) return null;
  } else {
    const first = (await scanBackward(file, checkpoint.size, { chunkBytes: 4096, maxChunkBytes: 1 << 20 }).next()).value;
    const line = first?.lines[0];
    if (!line?.terminated || !line.bytes || line.end + 1 !== checkpoint.size) return null;
    if (lineChecksum(line.bytes) !== checkpoint.lastCrc || !lineIsIntact(line.bytes)) return null;
  }
  return checkpoint.lines + (await countLines(file, checkpoint.size, file.size));
}
