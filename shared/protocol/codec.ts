import { FRAME_MAGIC, MAX_DATAGRAM_BYTES, MAX_HEADER_BYTES, PROTOCOL_VERSION } from './constants.js';
import { FRAME_TYPES, headerSchema, type ByeHeader, type ChatHeader, type FrameHeader, type HelloHeader } from './frame.js';

/**
 * Wire protocol v1: `MCC1 ` + one line of JSON header + `\n` + body.
 * Everything is UTF-8 text, so a capture or the lecture's Python receiver can read it.
 */
export type RejectReason =
  | 'unsupported-version'
  | 'header-too-long'
  | 'header-not-utf8'
  | 'header-not-json'
  | 'header-invalid'
  | 'unknown-type'
  | 'body-not-utf8'
  | 'unexpected-body';

export type Decoded =
  | { readonly kind: 'frame'; readonly header: FrameHeader; readonly body: string }
  | { readonly kind: 'raw'; readonly text: string }
  | { readonly kind: 'rejected'; readonly reason: RejectReason; readonly version?: number };

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8', { fatal: false });

const M = 0x4d; // 'M'
const C = 0x43; // 'C'
const SPACE = 0x20;
const NEWLINE = 0x0a;
const PREFIX = `${FRAME_MAGIC}${PROTOCOL_VERSION} `;
const PREFIX_BYTES = encoder.encode(PREFIX);

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Raw datagrams may carry any bytes; show them as text with U+FFFD where they are not UTF-8. */
export function decodeLenient(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

function headerBytes(header: FrameHeader): Uint8Array {
  return encoder.encode(JSON.stringify(header));
}

/** One datagram: prefix, header, newline, body. */
export function encodeFrame(header: FrameHeader, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const head = headerBytes(header);
  const out = new Uint8Array(PREFIX_BYTES.length + head.length + 1 + body.length);
  out.set(PREFIX_BYTES, 0);
  out.set(head, PREFIX_BYTES.length);
  out[PREFIX_BYTES.length + head.length] = NEWLINE;
  out.set(body, PREFIX_BYTES.length + head.length + 1);
  return out;
}

export function encodeHello(header: Omit<HelloHeader, 't'>): Uint8Array {
  const { peer, nick, app, ivl, sess, next } = header;
  return encodeFrame({ t: 'hello', peer, nick, app, ivl, ...(sess !== undefined && next !== undefined ? { sess, next } : {}) });
}

export function encodeBye(header: Omit<ByeHeader, 't'>): Uint8Array {
  return encodeFrame({ t: 'bye', peer: header.peer, nick: header.nick });
}

/** Largest prefix of `bytes` from `start`, at most `max` long, that ends on a code point boundary. */
function utf8SliceEnd(bytes: Uint8Array, start: number, max: number): number {
  let end = Math.min(bytes.length, start + max);
  if (end === bytes.length) return end;
  // A continuation byte (10xxxxxx) cannot start a code point: back off to the lead byte.
  while (end > start && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return end;
}

/**
 * Splits a chat message into datagrams of at most MAX_DATAGRAM_BYTES. Each fragment's body
 * is whole code points, so every datagram is valid UTF-8 on its own.
 */
export function encodeChat(header: Omit<ChatHeader, 't' | 'frag'>, text: string): Uint8Array[] {
  const body = encoder.encode(text);
  // Fixed key order, so every frame reads the same in a capture.
  const { peer, nick, id, sess, seq, ttl, ts, hlc } = header;
  const base: ChatHeader = { t: 'chat', peer, nick, id, ...(sess !== undefined ? { sess } : {}), seq, ttl, ts, ...(hlc !== undefined ? { hlc } : {}) };
  const single = encodeFrame(base, body);
  if (single.length <= MAX_DATAGRAM_BYTES) return [single];

  let count = 2;
  for (;;) {
    // Worst-case header for this count: the last index has the most digits.
    const worst = headerBytes({ ...base, frag: [count - 1, count] }).length;
    const budget = MAX_DATAGRAM_BYTES - PREFIX_BYTES.length - worst - 1;
    const slices: Array<[number, number]> = [];
    for (let start = 0; start < body.length; ) {
      const end = utf8SliceEnd(body, start, budget);
      slices.push([start, end]);
      start = end;
    }
    if (slices.length <= count) {
      const total = slices.length;
      return slices.map(([s, e], index) => encodeFrame({ ...base, frag: [index, total] }, body.subarray(s, e)));
    }
    count = slices.length;
  }
}

function readVersion(bytes: Uint8Array): number | null {
  if (bytes.length < 5 || bytes[0] !== M || bytes[1] !== C || bytes[2] !== C) return null;
  let version = 0;
  let i = 3;
  for (; i < bytes.length && i < 7; i++) {
    const b = bytes[i] ?? 0;
    if (b === SPACE) break;
    if (b < 0x30 || b > 0x39) return null;
    version = version * 10 + (b - 0x30);
  }
  if (i === 3 || bytes[i] !== SPACE) return null;
  return version;
}

/**
 * Total: any bytes give a frame, a raw text, or a counted rejection. Nothing here throws
 * for any input (property-tested in codec.test.ts).
 */
export function decodeDatagram(bytes: Uint8Array): Decoded {
  const version = readVersion(bytes);
  if (version === null) return { kind: 'raw', text: lenientDecoder.decode(bytes) };
  if (version !== PROTOCOL_VERSION) return { kind: 'rejected', reason: 'unsupported-version', version };

  const headerStart = PREFIX_BYTES.length;
  const limit = Math.min(bytes.length, headerStart + MAX_HEADER_BYTES + 1);
  let newline = -1;
  for (let i = headerStart; i < limit; i++) {
    if (bytes[i] === NEWLINE) {
      newline = i;
      break;
    }
  }
  if (newline < 0) return { kind: 'rejected', reason: 'header-too-long' };

  let headerText: string;
  let json: unknown;
  try {
    headerText = strictDecoder.decode(bytes.subarray(headerStart, newline));
  } catch {
    return { kind: 'rejected', reason: 'header-not-utf8' };
  }
  try {
    json = JSON.parse(headerText);
  } catch {
    return { kind: 'rejected', reason: 'header-not-json' };
  }
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success) {
    const t = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>)['t'] : undefined;
    const known = typeof t === 'string' && FRAME_TYPES.includes(t);
    return { kind: 'rejected', reason: typeof t === 'string' && !known ? 'unknown-type' : 'header-invalid' };
  }

  const bodyBytes = bytes.subarray(newline + 1);
  if (parsed.data.t !== 'chat') {
    return bodyBytes.length === 0 ? { kind: 'frame', header: parsed.data, body: '' } : { kind: 'rejected', reason: 'unexpected-body' };
  }
  try {
    return { kind: 'frame', header: parsed.data, body: strictDecoder.decode(bodyBytes) };
  } catch {
    return { kind: 'rejected', reason: 'body-not-utf8' };
  }
}
