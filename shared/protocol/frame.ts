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

export const chatHeaderSchema = z.object({
  t: z.literal('chat'),
  peer: hex16,
  nick,
  id: hex16,
  seq: uint32,
  ttl: z.number().int().min(0).max(255),
  ts: timestamp,
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
});

export const byeHeaderSchema = z.object({
  t: z.literal('bye'),
  peer: hex16,
  nick,
});

export const headerSchema = z.discriminatedUnion('t', [chatHeaderSchema, helloHeaderSchema, byeHeaderSchema]);

export type ChatHeader = z.infer<typeof chatHeaderSchema>;
export type HelloHeader = z.infer<typeof helloHeaderSchema>;
export type ByeHeader = z.infer<typeof byeHeaderSchema>;
export type FrameHeader = z.infer<typeof headerSchema>;

export const FRAME_TYPES = ['chat', 'hello', 'bye'] as const;
