import { PRESENCE_INTERVAL_MS } from '../../shared/protocol/constants.js';
import { MAX_COUNTED_INTERVAL_MS } from './peer-table.js';

/**
 * Presence scales with the room, as RTCP does (RFC 3550, section 6.2): every member announces
 * every `members × hello size ÷ budget` seconds, but never more often than the base interval.
 * A room of 5 announces every 5 s as before; a lecture hall of 300 every 50 s, so the room's
 * hellos together stay under the budget (10 % below the 2 KB/s we promise, for the jitter)
 * however many join, up to 360. On Wi-Fi multicast goes out at the
 * basic rate, unacknowledged: this is airtime every student shares.
 */
export const PRESENCE_BUDGET_BYTES_PER_S = 1_800;

/** A signed hello with a short nickname, as the codec writes it (measured in presence-interval.test.ts). */
export const TYPICAL_HELLO_BYTES = 300;

/**
 * The interval the peers' timeouts honour (a longer one is counted as this, against identity
 * floods), so it is also the longest we ever announce: past ~400 members of 300-byte hellos the
 * budget is exceeded (1,024 members: 5 KB/s) rather than peers timing each other out.
 */
export const MAX_ANNOUNCE_INTERVAL_MS = MAX_COUNTED_INTERVAL_MS;

/**
 * How often one member of a room of `members` (ourselves included) announces itself, in ms.
 * The growth is a factor on the base interval (1 up to 12), so a core configured to announce
 * faster (tests, demos) scales the same way from its own base.
 */
export function announceIntervalMs(members: number, helloBytes = TYPICAL_HELLO_BYTES, baseIntervalMs = PRESENCE_INTERVAL_MS): number {
  const sharedMs = (Math.max(1, members) * Math.max(1, helloBytes) * 1_000) / PRESENCE_BUDGET_BYTES_PER_S;
  const factor = Math.min(MAX_ANNOUNCE_INTERVAL_MS / PRESENCE_INTERVAL_MS, Math.max(1, sharedMs / PRESENCE_INTERVAL_MS));
  return Math.round(baseIntervalMs * factor);
}

/**
 * The wait before the next announcement: the interval times a random factor in [0.5, 1.5)
 * (RFC 3550, 6.3.1), so members that joined together (a class at 9:00) do not announce in step.
 * The mean is still the interval, and the hello says the interval, not the wait, so peers'
 * timeouts (3.5 intervals) keep their margin.
 */
export function nextAnnounceDelayMs(intervalMs: number, random: () => number = Math.random): number {
  return Math.round(intervalMs * (0.5 + random()));
}

/**
 * A newcomer should see everyone within ~2 s. In a small room every member greets it within
 * 100 ms; in a big one
 * the greetings spread over up to 2 s, so 300 greetings do not arrive
 * (and take the air) in the same tenth of a second.
 */
export function greetingSpreadMs(members: number, helloBytes = TYPICAL_HELLO_BYTES): number {
  // 50 KB/s: a fifth of what 802.11b's 2 Mb/s basic rate carries, for the second a class arrives.
  const burstBudgetBytesPerS = 50_000;
  return Math.round(Math.min(2_000, Math.max(100, (members * helloBytes * 1_000) / burstBudgetBytesPerS)));
}
