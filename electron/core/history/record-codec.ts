/**
 * One record per line: `cccccccc {json}\n`, where `cccccccc` is the CRC-32 (lower-case hex) of the
 * UTF-8 JSON. JSON never holds a raw newline, so lines can be found from either end of the file;
 * a torn or corrupt line fails the CRC (or has no newline yet) and is skipped.
 */
import type { ChatMessage } from '../../../shared/events.js';
import { crc32 } from './crc32.js';
import type { HistoryOrder, HistoryRecord } from './types.js';

export const NEWLINE = 0x0a;
const SPACE = 0x20;
/** `cccccccc ` */
const HEADER_BYTES = 9;
/** Longer lines are not records: the reader gives up on them instead of buffering without bound. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

interface StoredRecord {
  k: string;
  o: HistoryOrder;
  m: ChatMessage;
  w?: readonly string[];
}

export interface EncodedBatch {
  readonly bytes: Buffer;
  /** The records encoded, in order (those too large for a line are left out). */
  readonly records: readonly HistoryRecord[];
  /** Records left out because a line would exceed MAX_LINE_BYTES. */
  readonly oversized: number;
  /** CRC field of the last line ('' when empty). */
  readonly lastCrc: string;
}

export function encodeRecords(records: readonly HistoryRecord[]): EncodedBatch {
  const jsons: string[] = [];
  const lengths: number[] = [];
  const encoded: HistoryRecord[] = [];
  let total = 0;
  let oversized = 0;
  for (const record of records) {
    const stored: StoredRecord = { k: record.key, o: record.order, m: record.message };
    if (record.wire !== undefined) stored.w = record.wire;
    const json = JSON.stringify(stored);
    const length = Buffer.byteLength(json);
    if (HEADER_BYTES + length + 1 > MAX_LINE_BYTES) {
      oversized++;
      continue;
    }
    jsons.push(json);
    lengths.push(length);
    encoded.push(record);
    total += HEADER_BYTES + length + 1;
  }
  const bytes = Buffer.allocUnsafe(total);
  let pos = 0;
  let lastCrc = '';
  for (let i = 0; i < jsons.length; i++) {
    const start = pos + HEADER_BYTES;
    const end = start + lengths[i]!;
    bytes.write(jsons[i]!, start, 'utf8');
    lastCrc = crc32(bytes, start, end).toString(16).padStart(8, '0');
    bytes.write(lastCrc, pos, 'latin1');
    bytes[pos + 8] = SPACE;
    bytes[end] = NEWLINE;
    pos = end + 1;
  }
  return { bytes, records: encoded, oversized, lastCrc };
}

function isHex(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66);
}

/** Checks a line's CRC (cheap: no JSON parsing). `line` excludes the newline. */
export function lineIsIntact(line: Uint8Array): boolean {
  if (line.length < HEADER_BYTES + 2 || line[8] !== SPACE) return false;
  let expected = 0;
  for (let i = 0; i < 8; i++) {
    const byte = line[i]!;
    if (!isHex(byte)) return false;
    expected = expected * 16 + (byte <= 0x39 ? byte - 0x30 : byte - 0x57);
  }
  return crc32(line, HEADER_BYTES) === expected;
}

/** The CRC field of an intact line, as written: a cheap fingerprint of the line. */
export function lineChecksum(line: Uint8Array): string {
  return Buffer.from(line.buffer, line.byteOffset, Math.min(8, line.length)).toString('latin1');
}

function isMessage(m: unknown): m is ChatMessage {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  return (
    (o.kind === 'chat' || o.kind === 'raw') &&
    typeof o.roomId === 'string' &&
    typeof o.id === 'string' &&
    typeof o.text === 'string' &&
    typeof o.src === 'string' &&
    typeof o.ts === 'number' &&
    typeof o.receivedAt === 'number' &&
    typeof o.own === 'boolean' &&
    typeof o.order === 'string'
  );
}

const KEY_PREFIX = Buffer.from('{"k":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The key of an intact line without parsing the rest of it: `k` is written first, and keys are
 * ours (peer/id, raw/src/…), so they hold no escapes; a line that does not fit is fully decoded.
 */
export function keyOfLine(line: Uint8Array): string | null {
  if (!lineIsIntact(line)) return null;
  const buffer = Buffer.from(line.buffer, line.byteOffset, line.length);
  if (buffer.compare(KEY_PREFIX, 0, KEY_PREFIX.length, HEADER_BYTES, HEADER_BYTES + KEY_PREFIX.length) === 0) {
    const start = HEADER_BYTES + KEY_PREFIX.length;
    const end = buffer.indexOf(QUOTE, start);
    const escape = buffer.indexOf(BACKSLASH, start);
    if (end > start && (escape === -1 || escape > end)) return buffer.toString('utf8', start, end);
  }
  return decodeLine(line)?.key ?? null;
}

/** The record of a line (without its newline), or null if the line is torn, corrupt or not a record. */
export function decodeLine(line: Uint8Array): HistoryRecord | null {
  if (!lineIsIntact(line)) return null;
  let stored: unknown;
  try {
    stored = JSON.parse(Buffer.from(line.buffer, line.byteOffset, line.length).toString('utf8', HEADER_BYTES));
  } catch {
    return null;
  }
  if (typeof stored !== 'object' || stored === null) return null;
  const { k, o, m, w } = stored as Partial<StoredRecord>;
  if (typeof k !== 'string' || !(typeof o === 'string' || (typeof o === 'number' && Number.isFinite(o))) || !isMessage(m)) return null;
  if (w === undefined) return { key: k, order: o, message: m };
  if (!Array.isArray(w) || !w.every((d) => typeof d === 'string')) return null;
  return { key: k, order: o, message: m, wire: w };
}

export function compareOrder(a: HistoryOrder, b: HistoryOrder): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
