import { z } from 'zod';
import { UNSAFE_NICK_MESSAGE, UNSAFE_TEXT_CHARS } from '../room-config.js';
import { MAX_FRAGMENTS, MAX_NICK_LENGTH } from './constants.js';

/**
 * Header schemas of wire protocol v1. Unknown keys are stripped, so a later minor change can
 * add fields without breaking v1 receivers; a new frame type is counted as unknown and ignored.
 */
const hex16 = z.string().regex(/^[0-9a-f]{16}$/);
/** The same characters as a local nickname (no control, format or bidi characters), so what a peer calls itself cannot move a terminal's cursor or reorder a line. */
const nick = z
  .string()
  .min(1)
  .max(MAX_NICK_LENGTH * 2)
  .refine((s) => !UNSAFE_TEXT_CHARS.test(s), UNSAFE_NICK_MESSAGE);
const uint32 = z.number().int().min(0).max(0xffffffff);
const timestamp = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const b64url = (bytes: number) => z.string().length(Math.ceil((bytes * 4) / 3)).regex(/^[A-Za-z0-9_-]+$/);
/** Ed25519 public key and signature, base64url without padding. */
export const publicKeyText = b64url(32);
export const signatureText = b64url(64);

/**
 * The signed envelope (v1.2) every frame of ours carries: the sender's session (one per room
 * join), when that session started, a per-session datagram counter (replay window, AES-GCM
 * nonce), the sender's public key, and the signature over everything else in the datagram. The
 * signature is always the last header key. Optional in the schema so the decoder can tell an
 * unsigned frame (counted, never shown) from a malformed one.
 */
const envelope = {
  sess: hex16.optional(),
  st: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  n: z.number().int().min(0).max(0xffffffff).optional(),
  pk: publicKeyText.optional(),
  sig: signatureText.optional(),
};

/** Hybrid logical clock stamp [wall ms, counter]: the order the room agrees on. */
const hlc = z.tuple([timestamp, uint32]);
const seqRange = z.tuple([uint32, uint32]).refine(([first, last]) => first <= last && last - first < 65_536);
const ttlValue = z.number().int().min(0).max(255);
/**
 * v1.3, optional: recent seqs of this session sent with a narrower scope (a lower TTL) than this
 * frame, as [first, last, ttl], newest first. A receiver that misses them knows they may not have
 * been meant for it: they are asked for once more, then closed quietly, not reported as lost.
 */
export const MAX_SCOPE_SKIPS = 8;
const scopeSkips = z
  .array(z.tuple([uint32, uint32, ttlValue]).refine(([first, last]) => first <= last && last - first < 65_536))
  .min(1)
  .max(MAX_SCOPE_SKIPS);

export const chatHeaderSchema = z.object({
  t: z.literal('chat'),
  peer: hex16,
  nick,
  id: hex16,
  seq: uint32,
  ttl: ttlValue,
  ts: timestamp,
  /** Added in v1.1: optional; a receiver orders a frame without it by [ts, 0]. */
  hlc: hlc.optional(),
  sk: scopeSkips.optional(),
  /** [index, count]: present only when the text spans several datagrams. */
  frag: z
    .tuple([z.number().int().min(0).max(MAX_FRAGMENTS - 1), z.number().int().min(2).max(MAX_FRAGMENTS)])
    .refine(([index, count]) => index < count)
    .optional(),
  ...envelope,
});

export const helloHeaderSchema = z.object({
  t: z.literal('hello'),
  peer: hex16,
  nick,
  app: z.string().max(64),
  /** The sender's announce interval in ms, so receivers can time it out fairly. */
  ivl: z.number().int().min(500).max(600_000),
  /** The next seq the sender will use: receivers spot a lost last message. (v1.1, optional.) */
  next: uint32.optional(),
  /** v1.3, optional: ms since this session began, so a receiver knows whether it began after it joined. */
  up: uint32.optional(),
  sk: scopeSkips.optional(),
  /** v1.5, optional, a newcomer's follow-up: how many peers it lists; members it may lack greet again. */
  seen: z.number().int().min(0).max(100_000).optional(),
  ...envelope,
});

export const byeHeaderSchema = z.object({
  t: z.literal('bye'),
  peer: hex16,
  nick,
  ...envelope,
});

/** "I am missing these messages of that sender": multicast, so other receivers hold their own. */
export const nackHeaderSchema = z.object({
  t: z.literal('nack'),
  peer: hex16,
  to: hex16,
  /** The session of `to` whose messages are missing. */
  toSess: hex16,
  seqs: z.array(seqRange).min(1).max(32),
  ...envelope,
});

/** A newcomer asks for recent history. */
export const syncHeaderSchema = z.object({
  t: z.literal('sync'),
  peer: hex16,
  rid: hex16,
  max: z.number().int().min(1).max(500),
  ...envelope,
});

/** "I am answering request rid with n messages": the other peers stand down. */
export const histHeaderSchema = z.object({
  t: z.literal('hist'),
  peer: hex16,
  rid: hex16,
  count: z.number().int().min(0).max(500),
  ...envelope,
});

/**
 * v1.4, "who hears me at this TTL?": sent with IP TTL `ttl`, lowest first. Every member it
 * reaches answers once per `pid`, to the lowest TTL that reached it, so each answer goes out
 * with the smallest TTL that gets back (on symmetric paths) and a peer's distance in routers is
 * that TTL minus one.
 */
export const probeHeaderSchema = z.object({
  t: z.literal('probe'),
  peer: hex16,
  pid: hex16,
  ttl: z.number().int().min(1).max(255),
  ...envelope,
});

/** v1.4, the answer to a probe: `to` and `pid` name it, `ttl` is the probe's TTL that reached us (and the answer's own). */
export const reachHeaderSchema = z.object({
  t: z.literal('reach'),
  peer: hex16,
  nick,
  to: hex16,
  pid: hex16,
  ttl: z.number().int().min(1).max(255),
  ...envelope,
});

/**
 * A passphrase room's datagram: this header in clear (authenticated as associated data), then
 * AES-256-GCM ciphertext of a whole inner frame. `kid` names the room key, so a wrong
 * passphrase is told apart from tampering.
 */
export const encHeaderSchema = z.object({
  t: z.literal('enc'),
  peer: hex16,
  kid: z.string().regex(/^[0-9a-f]{8}$/),
  ...envelope,
});

export const headerSchema = z.discriminatedUnion('t', [
  chatHeaderSchema,
  helloHeaderSchema,
  byeHeaderSchema,
  nackHeaderSchema,
  syncHeaderSchema,
  histHeaderSchema,
  probeHeaderSchema,
  reachHeaderSchema,
  encHeaderSchema,
]);

export type ChatHeader = z.infer<typeof chatHeaderSchema>;
export type HelloHeader = z.infer<typeof helloHeaderSchema>;
export type ByeHeader = z.infer<typeof byeHeaderSchema>;
export type NackHeader = z.infer<typeof nackHeaderSchema>;
export type SyncHeader = z.infer<typeof syncHeaderSchema>;
export type HistHeader = z.infer<typeof histHeaderSchema>;
export type ProbeHeader = z.infer<typeof probeHeaderSchema>;
export type ReachHeader = z.infer<typeof reachHeaderSchema>;
export type EncHeader = z.infer<typeof encHeaderSchema>;
export type FrameHeader = z.infer<typeof headerSchema>;

export const FRAME_TYPES: readonly string[] = ['chat', 'hello', 'bye', 'nack', 'sync', 'hist', 'probe', 'reach', 'enc'];

/** The envelope's fields, in the order the encoder writes them (the signature last). */
export interface EnvelopeFields {
  readonly sess: string;
  readonly st: number;
  readonly n: number;
  readonly pk: string;
}
