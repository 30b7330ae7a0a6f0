import { z } from 'zod';
import { MAX_FRAGMENTS, MAX_NICK_LENGTH } from './constants.js';

/**
 * Header schemas of wire protocol v1. Unknown keys are stripped, so a later minor change can
 * add fields without breaking v1 receivers; a new frame type is counted as unknown and ignored.
 */
const hex16 = z.string().regex(/^[0-9a-f]{16}$/);
const nick = z.string().min(1).max(MAX_NICK_LENGTH * 2);
const uint32 = z.number().int().min(0).max(0xffffffff);
const timestamp = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Hybrid logical clock stamp [wall ms, counter]: the order the room agrees on. */
const hlc = z.tuple([timestamp, uint32]);
const seqRange = z.tuple([uint32, uint32]).refine(([first, last]) => first <= last && last - first < 65_536);

export const chatHeaderSchema = z.object({
  t: z.literal('chat'),
  peer: hex16,
  nick,
  id: hex16,
  /** The sender's session: a restart starts a new sequence. (Added in v1.1: optional.) */
  sess: hex16.optional(),
  seq: uint32,
  ttl: z.number().int().min(0).max(255),
  ts: timestamp,
  /** Added in v1.1: optional; a receiver orders a frame without it by [ts, 0]. */
  hlc: hlc.optional(),
  /** [index, count]: present only when the text spans several datagrams. */
  frag: z
    .tuple([z.number().int().min(0).max(MAX_FRAGMENTS - 1), z.number().int().min(2).max(MAX_FRAGMENTS)])
    .refine(([index, count]) => index < count)
    .optional(),
});

export const helloHeaderSchema = z.object({
  t: z.literal('hello'),
  peer: hex16,
  nick,
  app: z.string().max(64),
  /** The sender's announce interval in ms, so receivers can time it out fairly. */
  ivl: z.number().int().min(500).max(600_000),
  sess: hex16.optional(),
  /** The next seq the sender will use: receivers spot a lost last message. (v1.1, optional.) */
  next: uint32.optional(),
});

export const byeHeaderSchema = z.object({
  t: z.literal('bye'),
  peer: hex16,
  nick,
});

/** "I am missing these messages of that sender": multicast, so other receivers hold their own. */
export const nackHeaderSchema = z.object({
  t: z.literal('nack'),
  peer: hex16,
  to: hex16,
  sess: hex16,
  seqs: z.array(seqRange).min(1).max(32),
});

/** A newcomer asks for recent history. */
export const syncHeaderSchema = z.object({
  t: z.literal('sync'),
  peer: hex16,
  rid: hex16,
  max: z.number().int().min(1).max(500),
});

/** "I am answering request rid with n messages": the other peers stand down. */
export const histHeaderSchema = z.object({
  t: z.literal('hist'),
  peer: hex16,
  rid: hex16,
  n: z.number().int().min(0).max(500),
});

export const headerSchema = z.discriminatedUnion('t', [chatHeaderSchema, helloHeaderSchema, byeHeaderSchema, nackHeaderSchema, syncHeaderSchema, histHeaderSchema]);

export type ChatHeader = z.infer<typeof chatHeaderSchema>;
export type HelloHeader = z.infer<typeof helloHeaderSchema>;
export type ByeHeader = z.infer<typeof byeHeaderSchema>;
export type NackHeader = z.infer<typeof nackHeaderSchema>;
export type SyncHeader = z.infer<typeof syncHeaderSchema>;
export type HistHeader = z.infer<typeof histHeaderSchema>;
export type FrameHeader = z.infer<typeof headerSchema>;

export const FRAME_TYPES: readonly string[] = ['chat', 'hello', 'bye', 'nack', 'sync', 'hist'];
