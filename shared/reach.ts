import { z } from 'zod';
import type { ReachResult } from './events.js';
import { isIPv4 } from './ipv4.js';
import { MAX_NICK_LENGTH } from './protocol/constants.js';
import { UNSAFE_TEXT_CHARS } from './room-config.js';

/** The window's TTL limit: 8 covers a campus (up to 7 routers); past 32 a probe only takes longer. */
export const DEFAULT_PROBE_TTL = 8;
export const MAX_PROBE_TTL = 32;

/**
 * A probe's timing: one TTL every 200 ms, then a second for the last answers. The core paces
 * by these, and the window and `mcchat probe` show progress from them, as no event reports it.
 */
export const PROBE_SPACING_MS = 200;
export const PROBE_WAIT_MS = 1_000;

/** About how long a probe up to `ttlMax` takes. */
export const probeDurationMs = (ttlMax: number): number => ttlMax * PROBE_SPACING_MS + PROBE_WAIT_MS;

/** A source as the socket reported it: dotted quad and port. */
const src = z
  .string()
  .max(21)
  .refine((s) => {
    const at = s.lastIndexOf(':');
    const port = s.slice(at + 1);
    return at > 0 && isIPv4(s.slice(0, at)) && /^\d{1,5}$/.test(port) && Number(port) <= 65_535;
  });

// The same bounds as a frame's nick: the core already checked it, this keeps the promise at the boundary.
const reachedPeer = z.object({
  peerId: z.string().regex(/^[0-9a-f]{16}$/),
  nick: z
    .string()
    .min(1)
    .max(MAX_NICK_LENGTH * 2)
    .refine((s) => !UNSAFE_TEXT_CHARS.test(s)),
  src,
});

/** The core keeps at most 1,024 answering peers per probe. */
const MAX_PEERS = 1_024;

/**
 * A probe's answer as it may leave main: one row per TTL tried (1, 2, … in order), each with the
 * peers first reached there. Names and sources came from other machines, so a peer that fails
 * the checks is left out rather than failing the whole answer.
 */
export function checkedReach(rows: readonly ReachResult[]): ReachResult[] {
  let kept = 0;
  return rows.slice(0, MAX_PROBE_TTL).map((row, index) => {
    const peers: ReachResult['peers'][number][] = [];
    for (const peer of row.peers) {
      const parsed = reachedPeer.safeParse(peer);
      if (parsed.success && kept < MAX_PEERS) {
        peers.push(parsed.data);
        kept++;
      }
    }
    // Rows are numbered by position: the core builds them so, and the page relies on it.
    return { ttl: index + 1, peers };
  });
}
