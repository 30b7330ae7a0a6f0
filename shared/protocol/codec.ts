import { FRAME_MAGIC, MAX_DATAGRAM_BYTES, MAX_HEADER_BYTES, PROTOCOL_VERSION, PUBLIC_KEY_BYTES, PUBLIC_KEY_TEXT_CHARS, SIGNATURE_BYTES, SIGNATURE_TAIL_BYTES } from './constants.js';
import { encodeFrame, fromBase64Url, fromBase64UrlBytes, toBase64Url } from './envelope.js';
import { FRAME_TYPES, headerSchema, type ChatHeader, type EncHeader, type FrameHeader } from './frame.js';

export { encodeFrame };

/**
 * Wire protocol v2: `MCC2 ` + one line of JSON header + `\n` + body + `\n` + the Ed25519
 * signature as 86 base64url characters. A plain room's datagram is UTF-8 text through and
 * through, so a capture, `nc -u` or the lecture's Python receiver can read (and decode) it.
 */
export type RejectReason =
  | 'unsupported-version'
  | 'header-too-long'
  | 'header-not-utf8'
  | 'header-not-json'
  | 'header-invalid'
  | 'unknown-type'
  | 'body-not-utf8'
  | 'unexpected-body'
  /** Shorter than a header, a line feed and a signature. */
  | 'no-signature'
  /** No `sess` or `n`, or only one of `st` and `pk`. */
  | 'bad-envelope';

/** What a datagram's signature covers, for the main process to verify. */
export interface FrameSignature {
  /** The key the datagram carries (an introduction); null when the receiver must know it already. */
  readonly publicKey: Uint8Array | null;
  readonly signature: Uint8Array;
  /** The datagram without its signature: what was signed. */
  readonly signed: Uint8Array;
  /** Prefix and header: a sealed frame's associated data. */
  readonly aad: Uint8Array;
}

/** Most keys a history answer's `hist` frame carries: what fits one datagram with room to spare. */
export const MAX_HIST_KEYS = 30;

export type Decoded =
  | {
      readonly kind: 'frame';
      readonly header: Exclude<FrameHeader, EncHeader>;
      readonly body: string;
      /** A `hist` frame's public keys (32 bytes each); empty for every other type. */
      readonly keys: readonly Uint8Array[];
      readonly signature: FrameSignature;
    }
  | { readonly kind: 'sealed'; readonly header: EncHeader; readonly sealed: Uint8Array; readonly signature: FrameSignature }
  | { readonly kind: 'raw'; readonly text: string }
  | { readonly kind: 'rejected'; readonly reason: RejectReason; readonly version?: number };

/** A sealed datagram's plaintext: a frame without envelope or signature (the outer one covers it). */
export type DecodedInner =
  | { readonly kind: 'frame'; readonly header: Exclude<FrameHeader, EncHeader>; readonly body: string; readonly keys: readonly Uint8Array[] }
  | { readonly kind: 'rejected'; readonly reason: RejectReason };

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
  const { peer, nick, sess, seq, ttl, ts, hc, sk } = header;
  const base: ChatHeader = { t: 'chat', peer, nick, ...(sess !== undefined ? { sess } : {}), seq, ttl, ts, ...(hc ? { hc } : {}), ...(sk !== undefined ? { sk } : {}) };
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
  const end = bytes.length - SIGNATURE_TAIL_BYTES;
  if (end <= PREFIX_BYTES.length || bytes[end] !== NEWLINE) return { kind: 'rejected', reason: 'no-signature' };
  const signatureBytes = signatureOf(bytes, end + 1);
  if (signatureBytes === null) return { kind: 'rejected', reason: 'no-signature' };
  const parsed = parseFrame(bytes, end);
  if ('reason' in parsed) return { kind: 'rejected', reason: parsed.reason };
  const { header, newline } = parsed;
  if (header.sess === undefined || header.n === undefined || (header.st === undefined) !== (header.pk === undefined)) return { kind: 'rejected', reason: 'bad-envelope' };
  const publicKey = header.pk === undefined ? null : fromBase64Url(header.pk);
  if (publicKey !== null && publicKey.length !== PUBLIC_KEY_BYTES) return { kind: 'rejected', reason: 'bad-envelope' };
  const signature: FrameSignature = { publicKey, signature: signatureBytes, signed: bytes.subarray(0, end), aad: bytes.subarray(0, newline) };
  const bodyBytes = bytes.subarray(newline + 1, end);
  if (header.t === 'enc') return { kind: 'sealed', header, sealed: bodyBytes, signature };
  const body = bodyOf(header, bodyBytes);
  return 'reason' in body ? { kind: 'rejected', reason: body.reason } : { kind: 'frame', header, ...body, signature };
}

/** The plaintext of a sealed datagram: the same framing without signature or envelope. Total as well. */
export function decodeInner(bytes: Uint8Array): DecodedInner {
  if (readMarker(bytes)?.version !== PROTOCOL_VERSION) return { kind: 'rejected', reason: 'unsupported-version' };
  const parsed = parseFrame(bytes, bytes.length);
  if ('reason' in parsed) return { kind: 'rejected', reason: parsed.reason };
  const { header, newline } = parsed;
  if (header.t === 'enc') return { kind: 'rejected', reason: 'header-invalid' };
  const body = bodyOf(header, bytes.subarray(newline + 1));
  return 'reason' in body ? { kind: 'rejected', reason: body.reason } : { kind: 'frame', header, ...body };
}

/** The header of the frame in bytes [0, end): its JSON, validated, and where its line feed is. */
function parseFrame(bytes: Uint8Array, end: number): { header: FrameHeader; newline: number } | { reason: RejectReason } {
  const headerStart = PREFIX_BYTES.length;
  const limit = Math.min(end, headerStart + MAX_HEADER_BYTES + 1);
  let newline = -1;
  for (let i = headerStart; i < limit; i++) {
    if (bytes[i] === NEWLINE) {
      newline = i;
      break;
    }
  }
  if (newline < 0) return { reason: 'header-too-long' };

  let headerText = '';
  let json: unknown;
  try {
    headerText = strictDecoder.decode(bytes.subarray(headerStart, newline));
  } catch {
    return { reason: 'header-not-utf8' };
  }
  try {
    json = JSON.parse(headerText);
  } catch {
    return { reason: 'header-not-json' };
  }
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success) {
    const t = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>)['t'] : undefined;
    const known = typeof t === 'string' && FRAME_TYPES.includes(t);
    return { reason: typeof t === 'string' && !known ? 'unknown-type' : 'header-invalid' };
  }
  return { header: parsed.data, newline };
}

/** A chat frame's text, a `hist` frame's keys; every other frame has no body. */
function bodyOf(header: Exclude<FrameHeader, EncHeader>, bytes: Uint8Array): { body: string; keys: readonly Uint8Array[] } | { reason: RejectReason } {
  if (header.t === 'hist') {
    if (bytes.length % PUBLIC_KEY_TEXT_CHARS !== 0 || bytes.length > MAX_HIST_KEYS * PUBLIC_KEY_TEXT_CHARS) return { reason: 'unexpected-body' };
    const keys: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += PUBLIC_KEY_TEXT_CHARS) {
      const key = fromBase64UrlBytes(bytes, at, at + PUBLIC_KEY_TEXT_CHARS);
      if (key === null || key.length !== PUBLIC_KEY_BYTES) return { reason: 'unexpected-body' };
      keys.push(key);
    }
    return { body: '', keys };
  }
  if (header.t !== 'chat') return bytes.length === 0 ? { body: '', keys: [] } : { reason: 'unexpected-body' };
  try {
    return { body: strictDecoder.decode(bytes), keys: [] };
  } catch {
    return { reason: 'body-not-utf8' };
  }
}

/** A `hist` frame's body: the senders' public keys, 43 base64url characters each, back to back. */
export function histKeysBody(keys: readonly Uint8Array[]): Uint8Array {
  return encoder.encode(keys.map(toBase64Url).join(''));
}

/** The 64 signature bytes of the base64url text from `start` to the end, or null when it is not that. */
function signatureOf(bytes: Uint8Array, start: number): Uint8Array | null {
  const signature = fromBase64UrlBytes(bytes, start, bytes.length);
  return signature !== null && signature.length === SIGNATURE_BYTES ? signature : null;
}
