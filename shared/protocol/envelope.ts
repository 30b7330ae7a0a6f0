import { FRAME_MAGIC, PROTOCOL_VERSION, PUBLIC_KEY_BYTES, SIGNATURE_TAIL_BYTES } from './constants.js';
import { INTRODUCTIONS, type EnvelopeFields, type FrameHeader } from './frame.js';

/**
 * Signing and sealing of frames (protocol v2), free of node:* so the codec stays shared. The
 * key material lives in the main process; it is passed in as a signer and a sealer.
 */
export interface FrameSigner {
  /** The envelope for the next datagram: each call takes a new counter `n`; `st` and `pk` when it introduces us. */
  envelope(introduce: boolean): EnvelopeFields;
  /** Ed25519 over the datagram without its signature. */
  sign(data: Uint8Array): Uint8Array;
}

export interface FrameSealer {
  /** 8 hex: which room key, so a wrong passphrase is told apart from tampering. */
  readonly kid: string;
  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
}

const encoder = new TextEncoder();
const PREFIX_BYTES = encoder.encode(`${FRAME_MAGIC}${PROTOCOL_VERSION} `);
const NEWLINE_BYTES = Uint8Array.of(0x0a);
const GCM_TAG_BYTES = 16;

/** Does a frame of this type carry the sender's key and session start? */
export function introduces(t: string): boolean {
  return INTRODUCTIONS.has(t);
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < BASE64URL.length; i++) DECODE[BASE64URL.charCodeAt(i)] = i;

/**
 * Bytes of unpadded base64url text, or null when it is not that (anything outside the alphabet
 * encodes to bytes the table refuses). A table, not atob: it runs for every introduction
 * received, and atob plus a copy cost ~10 us there.
 */
export function fromBase64Url(text: string): Uint8Array | null {
  const bytes = encoder.encode(text);
  return fromBase64UrlBytes(bytes, 0, bytes.length);
}

/**
 * Base64url held in `bytes[start, end)` (a signature line, a hist frame's keys): read where it
 * lies, without building a string first. Canonical only: the bits left over past the last byte
 * are zero, so a signature or key has one spelling (else 16 texts of one signature would all
 * verify).
 */
export function fromBase64UrlBytes(bytes: Uint8Array, start: number, end: number): Uint8Array | null {
  const length = end - start;
  if (length < 0 || length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (let i = start; i < end; i++) {
    const code = bytes[i] ?? 0xff;
    const value = code < 128 ? (DECODE[code] ?? -1) : -1;
    if (value < 0) return null;
    acc = ((acc << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

/** The AES-GCM nonce: the 8 bytes of the session id, then the 4-byte counter (big-endian). */
export function nonceOf(sess: string, n: number): Uint8Array {
  const nonce = new Uint8Array(12);
  for (let i = 0; i < 8; i++) nonce[i] = parseInt(sess.slice(2 * i, 2 * i + 2), 16);
  new DataView(nonce.buffer).setUint32(8, n >>> 0);
  return nonce;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Prefix, header, newline, body: a frame without its signature (what is signed; a sealed datagram's plaintext). */
export function encodeFrame(header: FrameHeader, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concatBytes([PREFIX_BYTES, encoder.encode(JSON.stringify(header)), NEWLINE_BYTES, body]);
}

/** What follows a signed frame: a line feed and the signature as base64url text. */
function signatureTail(signature: Uint8Array): Uint8Array {
  return encoder.encode(`\n${toBase64Url(signature)}`);
}

/** The signed datagram: prefix, header with the envelope, newline, body, then a line feed and the signature over all of it. */
export function signedFrame(header: FrameHeader, body: Uint8Array, signer: FrameSigner, introduce = introduces(header.t)): Uint8Array {
  // A header that has `sess` (chat, hello) keeps it in its place; `n` and the rest go last.
  const unsigned = encodeFrame({ ...header, ...signer.envelope(introduce) }, body);
  return concatBytes([unsigned, signatureTail(signer.sign(unsigned))]);
}

/**
 * A passphrase room's datagram: the whole inner frame encrypted, the clear header (prefix
 * included) as associated data, the nonce from the envelope's session and counter, signed last.
 * The clear header introduces us when the inner frame does.
 */
export function sealedFrame(inner: Uint8Array, peer: string, signer: FrameSigner, sealer: FrameSealer, introduce: boolean): Uint8Array {
  const env = signer.envelope(introduce);
  const header: FrameHeader = { t: 'enc', peer, kid: sealer.kid, ...env };
  const aad = concatBytes([PREFIX_BYTES, encoder.encode(JSON.stringify(header))]);
  const sealed = sealer.seal(nonceOf(env.sess, env.n), aad, inner);
  const unsigned = concatBytes([aad, NEWLINE_BYTES, sealed]);
  return concatBytes([unsigned, signatureTail(signer.sign(unsigned))]);
}

const WORST_COUNTER = { n: 0xffffffff };
const WORST_INTRODUCTION = { st: Number.MAX_SAFE_INTEGER, pk: 'A'.repeat(Math.ceil((PUBLIC_KEY_BYTES * 4) / 3)) };

/** Bytes the envelope (the header already holding `sess`) and the signature add to a frame, at most. */
export function signedReserve(introduce: boolean): number {
  const env = JSON.stringify({ ...WORST_COUNTER, ...(introduce ? WORST_INTRODUCTION : {}) });
  // `,` + the keys without their braces, then the signature line.
  return env.length - 1 + SIGNATURE_TAIL_BYTES;
}

/** Bytes a sealed datagram adds around its inner frame, at most. */
export function sealedReserve(introduce: boolean): number {
  const header = { t: 'enc', peer: 'f'.repeat(16), kid: 'f'.repeat(8), sess: 'f'.repeat(16), ...WORST_COUNTER, ...(introduce ? WORST_INTRODUCTION : {}) };
  return PREFIX_BYTES.length + encoder.encode(JSON.stringify(header)).length + NEWLINE_BYTES.length + GCM_TAG_BYTES + SIGNATURE_TAIL_BYTES;
}
