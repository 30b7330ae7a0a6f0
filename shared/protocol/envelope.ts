import { FRAME_MAGIC, PROTOCOL_VERSION } from './constants.js';
import type { EnvelopeFields, FrameHeader } from './frame.js';

/**
 * Signing and sealing of frames (protocol v1.2), free of node:* so the codec stays shared. The
 * key material lives in the main process; it is passed in as a signer and a sealer.
 */
export interface FrameSigner {
  /** The envelope for the next datagram: each call takes a new counter `n`. */
  envelope(): EnvelopeFields;
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
const NEWLINE = 0x0a;
const SIG_KEY = ',"sig":"';
/** `,"sig":"` + 86 base64url characters + `"}`: how every signed header ends. */
export const SIGNATURE_TAIL_CHARS = SIG_KEY.length + 86 + 2;
const GCM_TAG_BYTES = 16;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < BASE64URL.length; i++) DECODE[BASE64URL.charCodeAt(i)] = i;

/**
 * Bytes of unpadded base64url text, or null when it is not that. A table, not atob: it runs
 * twice per received datagram (key and signature), and atob plus a copy cost ~10 us there.
 */
export function fromBase64Url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (DECODE[code] ?? -1) : -1;
    if (value < 0) return null;
    acc = ((acc << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** The AES-GCM nonce: the 8 bytes of the session id, then the 4-byte counter (big-endian). */
export function nonceOf(sess: string, n: number): Uint8Array {
  const nonce = new Uint8Array(12);
  for (let i = 0; i < 8; i++) nonce[i] = parseInt(sess.slice(2 * i, 2 * i + 2), 16);
  new DataView(nonce.buffer).setUint32(8, n >>> 0);
  return nonce;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const NEWLINE_BYTES = Uint8Array.of(NEWLINE);

/** The signed datagram: prefix, header with envelope and signature last, newline, body. */
export function signedFrame(header: FrameHeader, body: Uint8Array, signer: FrameSigner): Uint8Array {
  const unsignedHeader = encoder.encode(JSON.stringify({ ...header, ...signer.envelope() }));
  const signature = toBase64Url(signer.sign(concat([PREFIX_BYTES, unsignedHeader, NEWLINE_BYTES, body])));
  const signedHeader = concat([unsignedHeader.subarray(0, unsignedHeader.length - 1), encoder.encode(`${SIG_KEY}${signature}"}`)]);
  return concat([PREFIX_BYTES, signedHeader, NEWLINE_BYTES, body]);
}

/**
 * A passphrase room's datagram: the whole inner frame encrypted, the clear header (prefix
 * included) as associated data, the nonce from the envelope's session and counter, signed last.
 */
export function sealedFrame(inner: Uint8Array, peer: string, signer: FrameSigner, sealer: FrameSealer): Uint8Array {
  const env = signer.envelope();
  const header: FrameHeader = { t: 'enc', peer, kid: sealer.kid, ...env };
  const unsignedHeader = encoder.encode(JSON.stringify(header));
  const aad = concat([PREFIX_BYTES, unsignedHeader]);
  const sealed = sealer.seal(nonceOf(env.sess, env.n), aad, inner);
  const signature = toBase64Url(signer.sign(concat([aad, NEWLINE_BYTES, sealed])));
  const signedHeader = concat([unsignedHeader.subarray(0, unsignedHeader.length - 1), encoder.encode(`${SIG_KEY}${signature}"}`)]);
  return concat([PREFIX_BYTES, signedHeader, NEWLINE_BYTES, sealed]);
}

/**
 * What a received datagram's signature covers, rebuilt from its header text: the header
 * without the trailing signature, then newline and body. Null when the header does not end
 * with a signature the way our encoder writes it.
 */
export function unsignedHeaderText(headerText: string): string | null {
  const at = headerText.length - SIGNATURE_TAIL_CHARS;
  if (at < 1 || !headerText.startsWith(SIG_KEY, at) || !headerText.endsWith('"}')) return null;
  return `${headerText.slice(0, at)}}`;
}

export function signedBytes(unsignedHeader: string, body: Uint8Array): { aad: Uint8Array; signed: Uint8Array } {
  const aad = concat([PREFIX_BYTES, encoder.encode(unsignedHeader)]);
  return { aad, signed: concat([aad, NEWLINE_BYTES, body]) };
}

const WORST_ENVELOPE: EnvelopeFields = { sess: 'f'.repeat(16), st: Number.MAX_SAFE_INTEGER, n: 0xffffffff, pk: 'A'.repeat(43) };
/** Bytes the envelope and signature add to a header, at most. */
export const SIGNED_RESERVE = encoder.encode(JSON.stringify(WORST_ENVELOPE)).length + SIGNATURE_TAIL_CHARS;
/** Bytes a sealed datagram adds around its inner frame, at most. */
export const SEALED_RESERVE =
  PREFIX_BYTES.length + encoder.encode(JSON.stringify({ t: 'enc', peer: 'f'.repeat(16), kid: 'f'.repeat(8), ...WORST_ENVELOPE })).length + SIGNATURE_TAIL_CHARS + 1 + GCM_TAG_BYTES;
