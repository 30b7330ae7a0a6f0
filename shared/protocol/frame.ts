import { z } from 'zod';
import { UNSAFE_NICK_MESSAGE, UNSAFE_TEXT_CHARS } from '../room-config.js';
import { MAX_FRAGMENTS, MAX_NICK_LENGTH } from './constants.js';

/**
 * Header schemas of wire protocol v2. Unknown keys are stripped, so a later minor change can
 * add fields without breaking v2 receivers; a new frame type is counted as unknown and ignored.
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
/** An Ed25519 public key, base64url without padding (43 characters). */
export const publicKeyText = b64url(32);

/**
 * The envelope (v2) every frame carries: the sender's session (one per room join) and a
 * per-session datagram counter (replay window, AES-GCM nonce). When the session started and the
 * sender's public key travel only in introductions (hello, sync, probe, reach, hist, nack): a
 * receiver keeps them, so a chat frame does not pay 60 bytes for them. The signature is not a
 * header key: it is the datagram's last line (86 base64url characters). Optional in the schema because the inner frame
 * of a sealed datagram has none; the decoder requires `sess` and `n` of every datagram.
 */
const envelope = {
  sess: hex16.optional(),
  n: uint32.optional(),
  st: timestamp.optional(),
  pk: publicKeyText.optional(),
};

/** Frame types that carry `st` and `pk`: what a receiver may hear from a peer it knows nothing of. */
export const INTRODUCTIONS: ReadonlySet<string> = new Set(['hello', 'sync', 'probe', 'reach', 'hist', 'nack']);

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
  seq: uint32,
  ttl: ttlValue,
  /** The hybrid logical clock's wall part `l` (ms since 1970): the time a receiver shows. */
  ts: timestamp,
  /** The hybrid logical clock's counter, only when not 0: the stamp is [ts, hc ?? 0]. */
  hc: uint32.optional(),
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

/**
 * "I am answering request rid with count messages": the other peers stand down. The body holds
 * the 32-byte public keys of the senders whose messages follow (their datagrams carry none).
 */
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

/** The envelope's fields, in the order the encoder writes them; `st` and `pk` in introductions only. */
export interface EnvelopeFields {
  readonly sess: string;
  readonly n: number;
  readonly st?: number;
  readonly pk?: string;
}
