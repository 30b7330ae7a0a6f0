import { FRAME_MAGIC, MAX_DATAGRAM_BYTES, MAX_HEADER_BYTES, PROTOCOL_VERSION } from './constants.js';
import { fromBase64Url, signedBytes, unsignedHeaderText } from './envelope.js';
import { FRAME_TYPES, headerSchema, type ChatHeader, type EncHeader, type FrameHeader } from './frame.js';

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

/**
 * What a frame's signature covers, for the main process to verify. 'none': an unsigned frame
 * (an older app, or typed by hand); 'malformed': a signature we could not even read.
 */
export type FrameSignature =
  | { readonly kind: 'none' }
  | { readonly kind: 'malformed' }
  | {
      readonly kind: 'present';
      readonly publicKey: Uint8Array;
      readonly signature: Uint8Array;
      /** The datagram without its signature: what was signed. */
      readonly signed: Uint8Array;
      /** Prefix and header without the signature: a sealed frame's associated data. */
      readonly aad: Uint8Array;
    };

export type Decoded =
  | { readonly kind: 'frame'; readonly header: Exclude<FrameHeader, EncHeader>; readonly body: string; readonly signature: FrameSignature }
  | { readonly kind: 'sealed'; readonly header: EncHeader; readonly sealed: Uint8Array; readonly signature: FrameSignature }
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

/**
 * Raw text shown per datagram: the lecture's snippets send a line; a datagram may carry 65,507
 * bytes (each kept as text cost 133 KiB of heap), so the rest is only counted.
 */
export const RAW_SHOWN_BYTES = 4_096;

/** The first RAW_SHOWN_BYTES of a raw datagram as text, saying how much more there was. */
function rawText(bytes: Uint8Array): string {
  if (bytes.length <= RAW_SHOWN_BYTES) return lenientDecoder.decode(bytes);
  const shown = lenientDecoder.decode(bytes.subarray(0, RAW_SHOWN_BYTES));
  return `${shown} … (${bytes.length - RAW_SHOWN_BYTES} more bytes not shown)`;
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

/** Largest prefix of `bytes` from `start`, at most `max` long, that ends on a code point boundary. */
function utf8SliceEnd(bytes: Uint8Array, start: number, max: number): number {
  let end = Math.min(bytes.length, start + max);
  if (end === bytes.length) return end;
  // A continuation byte (10xxxxxx) cannot start a code point: back off to the lead byte.
  while (end > start && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return end;
}

/** A frame before it is put on the wire (signed, or sealed and signed). */
export interface FramePart {
  readonly header: ChatHeader;
  readonly body: Uint8Array;
}

/** An unsigned chat frame per fragment: tests, and the inside of sealed frames. */
export function encodeChat(header: Omit<ChatHeader, 't' | 'frag'>, text: string): Uint8Array[] {
  return splitChat(header, text).map((part) => encodeFrame(part.header, part.body));
}

/**
 * Splits a chat message into parts that fit a datagram of MAX_DATAGRAM_BYTES once `reserve`
 * bytes are added (the envelope and signature, or the sealing around the frame). Each
 * fragment's body is whole code points, so every datagram is valid UTF-8 on its own.
 */
export function splitChat(header: Omit<ChatHeader, 't' | 'frag'>, text: string, reserve = 0): FramePart[] {
  const body = encoder.encode(text);
  const limit = MAX_DATAGRAM_BYTES - reserve;
  // Fixed key order, so every frame reads the same in a capture.
  const { peer, nick, id, sess, seq, ttl, ts, hlc, sk } = header;
  const base: ChatHeader = { t: 'chat', peer, nick, id, ...(sess !== undefined ? { sess } : {}), seq, ttl, ts, ...(hlc !== undefined ? { hlc } : {}), ...(sk !== undefined ? { sk } : {}) };
  if (PREFIX_BYTES.length + headerBytes(base).length + 1 + body.length <= limit) return [{ header: base, body }];

  let count = 2;
  for (;;) {
    // Worst-case header for this count: the last index has the most digits.
    const worst = headerBytes({ ...base, frag: [count - 1, count] }).length;
    const budget = limit - PREFIX_BYTES.length - worst - 1;
    const slices: Array<[number, number]> = [];
    for (let start = 0; start < body.length; ) {
      const end = utf8SliceEnd(body, start, budget);
      slices.push([start, end]);
      start = end;
    }
    if (slices.length <= count) {
      const total = slices.length;
      return slices.map(([s, e], index) => ({ header: { ...base, frag: [index, total] }, body: body.subarray(s, e) }));
    }
    count = slices.length;
  }
}

/** "MCC", 1–4 decimal digits and a space: where the marker ends and the version it names, or null. */
export function readMarker(bytes: Uint8Array): { end: number; version: number } | null {
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
  return { end: i + 1, version };
}

/**
 * Total: any bytes give a frame, a raw text, or a counted rejection. Nothing here throws
 * for any input (property-tested in codec.test.ts).
 */
export function decodeDatagram(bytes: Uint8Array): Decoded {
  const version = readMarker(bytes)?.version ?? null;
  if (version === null) return { kind: 'raw', text: rawText(bytes) };
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

  let headerText = '';
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
  const header = parsed.data;
  const signature = signatureOf(header, headerText, bodyBytes);
  if (header.t === 'enc') return { kind: 'sealed', header, sealed: bodyBytes, signature };
  if (header.t !== 'chat') {
    return bodyBytes.length === 0 ? { kind: 'frame', header, body: '', signature } : { kind: 'rejected', reason: 'unexpected-body' };
  }
  try {
    return { kind: 'frame', header, body: strictDecoder.decode(bodyBytes), signature };
  } catch {
    return { kind: 'rejected', reason: 'body-not-utf8' };
  }
}

function signatureOf(header: FrameHeader, headerText: string, body: Uint8Array): FrameSignature {
  if (header.sig === undefined && header.pk === undefined) return { kind: 'none' };
  if (header.sig === undefined || header.pk === undefined || header.sess === undefined || header.st === undefined || header.n === undefined) {
    return { kind: 'malformed' };
  }
  const unsigned = unsignedHeaderText(headerText);
  const publicKey = fromBase64Url(header.pk);
  const signature = fromBase64Url(header.sig);
  if (unsigned === null || publicKey?.length !== 32 || signature?.length !== 64) return { kind: 'malformed' };
  return { kind: 'present', publicKey, signature, ...signedBytes(unsigned, body) };
}
