import { fingerprintOf } from './fingerprint.js';
import { readMarker } from './protocol/codec.js';
import { MAX_HEADER_BYTES, PROTOCOL_VERSION, PUBLIC_KEY_TEXT_CHARS, SIGNATURE_TAIL_BYTES } from './protocol/constants.js';
import { UNSAFE_TEXT_CHARS_GLOBAL } from './room-config.js';
import { ttlScopeName } from './ttl-scopes.js';
import { fieldMeaning } from './wire-fields.js';

/**
 * One datagram taken apart for the message inspector: which bytes are the marker, the header,
 * the body (or, sealed, the key id, the ciphertext and its tag; a history answer's marker, the
 * senders' keys) and the signature at the end, and what every header field means. Total: any bytes at all give a story, never an exception, because the
 * bytes come from the network.
 */
export type WirePartKind = 'marker' | 'header' | 'key-id' | 'signature' | 'line-feed' | 'body' | 'keys' | 'ciphertext' | 'tag' | 'raw';

/** Bytes [start, end) of the datagram. The parts of a story cover it from 0 to its size, in order, without overlap. */
export interface WirePart {
  readonly kind: WirePartKind;
  readonly start: number;
  readonly end: number;
}

export interface WireField {
  readonly name: string;
  /** The value as JSON, control and bidi characters written as escapes. */
  readonly value: string;
  readonly meaning: string;
  /** The value read for a person: "site scope", a UTC time, "fragment 2 of 3". */
  readonly reading?: string;
}

/** frame: marker, a JSON header, a body. The others are what a receiver would not take as a frame. */
export type WireVerdict = 'frame' | 'raw' | 'empty' | 'unsupported' | 'invalid';

export interface WireStory {
  readonly size: number;
  readonly verdict: WireVerdict;
  /** The header's `t` when it is a string. */
  readonly type: string | null;
  readonly parts: readonly WirePart[];
  readonly fields: readonly WireField[];
  /** One sentence: what this datagram is. */
  readonly note: string;
  /** A sealed frame's `kid`. */
  readonly keyId: string | null;
  /** A fragment's [index, count]. */
  readonly fragment: readonly [number, number] | null;
}

export const PART_LABELS: Readonly<Record<WirePartKind, string>> = {
  marker: 'marker',
  header: 'header',
  'key-id': 'key id',
  signature: 'signature',
  'line-feed': 'line feed',
  body: 'body',
  keys: 'public keys',
  ciphertext: 'ciphertext',
  tag: 'GCM tag',
  raw: 'raw text',
};

const LINE_FEED = 0x0a;
const GCM_TAG_BYTES = 16;
/** Binary parts: shown as hex. */
const BINARY: ReadonlySet<WirePartKind> = new Set(['ciphertext', 'tag']);

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

/** Text from the network made visible: every control, format or bidi character as an escape (`\n`, `\u202e`). */
export function visibleText(text: string): string {
  return text.replace(UNSAFE_TEXT_CHARS_GLOBAL, (char) => {
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    if (char === '\t') return '\\t';
    const code = char.codePointAt(0) ?? 0;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A part's bytes as a person reads them: text made visible, binary as hex. */
export function partText(bytes: Uint8Array, part: WirePart): string {
  const slice = bytes.subarray(part.start, part.end);
  if (BINARY.has(part.kind)) return Array.from(slice, (b) => b.toString(16).padStart(2, '0')).join(' ');
  return visibleText(lenient.decode(slice));
}


const isIso = (ms: unknown): ms is number => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= 8.64e15;
const utc = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
const seconds = (ms: number): string => `${(ms / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s`;

/** A value read for a person where the protocol gives it a unit or a name; undefined where the raw value says it all. */
function readingOf(name: string, value: unknown): string | undefined {
  if (name === 'ttl' && Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 255) return `${ttlScopeName(value as number)} scope`;
  if ((name === 'ts' || name === 'st') && isIso(value)) return utc(value);
  if (name === 'frag' && Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'number') return `fragment ${value[0] + 1} of ${value[1]}`;
  if ((name === 'peer' || name === 'to') && typeof value === 'string' && /^[0-9a-f]{16}$/.test(value)) return fingerprintOf(value);
  if ((name === 'ivl' || name === 'up') && typeof value === 'number' && Number.isFinite(value)) return seconds(value);
  return undefined;
}

function fieldsOf(header: Record<string, unknown>, type: string | null): WireField[] {
  return Object.keys(header).map((name) => {
    const value: unknown = header[name];
    const reading = readingOf(name, value);
    return { name: visibleText(name), value: visibleText(JSON.stringify(value) ?? String(value)), meaning: fieldMeaning(type, name), ...(reading !== undefined ? { reading } : {}) };
  });
}

/** Byte offset in `bytes` (from `from`) of the ASCII text `needle`, or -1. */
function indexOfAscii(bytes: Uint8Array, needle: string, from: number, to: number): number {
  const pattern = encoder.encode(needle);
  outer: for (let i = from; i + pattern.length <= to; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    return i;
  }
  return -1;
}

/** The header's bytes as parts: plain header, with the key id marked where it is. */
function headerParts(bytes: Uint8Array, start: number, end: number, keyId: string | null): WirePart[] {
  const marks: WirePart[] = [];
  if (keyId !== null) {
    // The key id is 8 hex digits, so `"kid":"…"` with an unescaped quote can only be the key itself.
    const needle = `"kid":"${keyId}"`;
    const at = indexOfAscii(bytes, needle, start, end);
    if (at >= 0) marks.push({ kind: 'key-id', start: at, end: at + needle.length });
  }
  const parts: WirePart[] = [];
  let at = start;
  for (const mark of marks.sort((a, b) => a.start - b.start)) {
    if (mark.start < at) continue;
    if (mark.start > at) parts.push({ kind: 'header', start: at, end: mark.start });
    parts.push(mark);
    at = mark.end;
  }
  if (at < end) parts.push({ kind: 'header', start: at, end });
  return parts;
}

function bodyParts(type: string | null, start: number, end: number): WirePart[] {
  if (start >= end) return [];
  if (type === 'hist' && (end - start) % PUBLIC_KEY_TEXT_CHARS === 0) return [{ kind: 'keys', start, end }];
  if (type !== 'enc') return [{ kind: 'body', start, end }];
  if (end - start < GCM_TAG_BYTES) return [{ kind: 'ciphertext', start, end }];
  const tag = end - GCM_TAG_BYTES;
  return [...(tag > start ? [{ kind: 'ciphertext' as const, start, end: tag }] : []), { kind: 'tag', start: tag, end }];
}

const NOTES: Readonly<Record<string, string>> = {
  chat: "A chat frame: the marker, one line of JSON header, a line feed, the text, then a line feed and the sender's Ed25519 signature over everything before it (64 bytes written as 86 base64url characters, so the datagram stays text). The key to check it came in the sender's hello.",
  enc: "A passphrase room's sealed frame: only the header can be read on the wire; the body is the whole inner frame encrypted (AES-256-GCM), its 16-byte tag last, then a line feed and the signature (86 characters).",
  hist: "A history answer's marker: the header, then the public keys of the senders whose messages follow (43 base64url characters each; their datagrams carry none), then a line feed and the signature (86 characters).",
};

function story(size: number, verdict: WireVerdict, parts: WirePart[], note: string, rest: Partial<Pick<WireStory, 'type' | 'fields' | 'keyId' | 'fragment'>> = {}): WireStory {
  return { size, verdict, parts, note, type: rest.type ?? null, fields: rest.fields ?? [], keyId: rest.keyId ?? null, fragment: rest.fragment ?? null };
}

/** A datagram that is text for whoever reads it: what a raw message is, whatever its bytes. */
export function rawStory(bytes: Uint8Array): WireStory {
  if (bytes.length === 0) return story(0, 'empty', [], 'An empty datagram: nothing but the UDP header.');
  return story(bytes.length, 'raw', [{ kind: 'raw', start: 0, end: bytes.length }], "Raw: no MCC marker, so the whole datagram is text for whoever reads it (as the lecture's Python sender sends it). Nothing is signed, nothing checked.");
}

/** Takes any datagram apart as a receiver would classify it (docs/protocol.md, "How a receiver classifies a datagram"). */
export function wireStory(bytes: Uint8Array): WireStory {
  const size = bytes.length;
  const marker = readMarker(bytes);
  if (marker === null) return rawStory(bytes);
  const markerPart: WirePart = { kind: 'marker', start: 0, end: marker.end };
  const unreadable = (verdict: WireVerdict, note: string): WireStory => story(size, verdict, [markerPart, ...(marker.end < size ? [{ kind: 'raw' as const, start: marker.end, end: size }] : [])], note);
  if (marker.version !== PROTOCOL_VERSION) return unreadable('unsupported', `Protocol version ${marker.version}, not ${PROTOCOL_VERSION}: a receiver of this version counts it and ignores it.`);

  // Every v2 datagram ends in a line feed and its signature (86 characters): the header is looked for before it.
  const signatureAt = size - SIGNATURE_TAIL_BYTES;
  if (signatureAt <= marker.end || bytes[signatureAt] !== LINE_FEED) return unreadable('invalid', 'The marker, but it does not end in a line feed and an 86-character signature: counted as invalid.');
  const limit = Math.min(signatureAt, marker.end + MAX_HEADER_BYTES + 1);
  let lineFeed = -1;
  for (let i = marker.end; i < limit; i++) {
    if (bytes[i] === LINE_FEED) {
      lineFeed = i;
      break;
    }
  }
  if (lineFeed < 0) return unreadable('invalid', `The marker, but no line feed ends a header within ${MAX_HEADER_BYTES} bytes: counted as invalid.`);
  let headerText: string;
  try {
    headerText = strict.decode(bytes.subarray(marker.end, lineFeed));
  } catch {
    return unreadable('invalid', 'The marker, but the header is not valid UTF-8: counted as invalid.');
  }
  let json: unknown;
  try {
    json = JSON.parse(headerText);
  } catch {
    return unreadable('invalid', 'The marker, but the header is not JSON: counted as invalid.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return unreadable('invalid', 'The marker, but the header is not a JSON object: counted as invalid.');

  const header = json as Record<string, unknown>;
  const type = typeof header['t'] === 'string' ? header['t'] : null;
  const kid = header['kid'];
  const keyId = type === 'enc' && typeof kid === 'string' && /^[0-9a-f]{8}$/.test(kid) ? kid : null;
  const frag = header['frag'];
  const fragment = type === 'chat' && Array.isArray(frag) && Number.isInteger(frag[0]) && Number.isInteger(frag[1]) ? ([frag[0], frag[1]] as [number, number]) : null;
  const parts = [
    markerPart,
    ...headerParts(bytes, marker.end, lineFeed, keyId),
    { kind: 'line-feed' as const, start: lineFeed, end: lineFeed + 1 },
    ...bodyParts(type, lineFeed + 1, signatureAt),
    { kind: 'line-feed' as const, start: signatureAt, end: signatureAt + 1 },
    { kind: 'signature' as const, start: signatureAt + 1, end: size },
  ];
  const note =
    (type !== null ? NOTES[type] : undefined) ??
    (type !== null
      ? `A ${visibleText(type)} frame: the marker, one line of JSON header, a line feed${lineFeed + 1 < signatureAt ? ', a body' : ''}, then a line feed and the signature (86 characters).`
      : 'The marker and a JSON header without a frame type.');
  return story(size, 'frame', parts, note, { type, fields: fieldsOf(header, type), keyId, fragment });
}

/** Standard base64 (what main sends) to bytes; null when it is not base64. */
export function fromBase64(text: string): Uint8Array | null {
  try {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}
