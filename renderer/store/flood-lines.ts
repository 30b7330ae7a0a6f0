import type { CoreEvent } from '../../shared/events.js';
import type { FloodReport } from './flood-slice.js';
import { floodContinuesText, floodSource, floodStartedText } from './system-text.js';

type FloodEvent = Extract<CoreEvent, { type: 'flood' }>;

/**
 * The core reports a flooding source about once a second for as long as it lasts; one line a
 * second would bury the conversation, so the log says it at most this often, with what was
 * dropped in between.
 */
export const FLOOD_LINE_INTERVAL_MS = 10_000;
/** A source quiet this long that floods again is a new flood, not the same one going on. */
export const FLOOD_QUIET_MS = 30_000;

/** The source's report after `event`, and the line to write now, if any. */
export function nextFloodReport(previous: FloodReport | undefined, event: FloodEvent, now: number): { report: FloodReport; line: string | null } {
  const nick = event.nick ?? previous?.nick ?? null;
  const who = floodSource(nick, event.src);
  const ongoing = previous !== undefined && now - previous.lastAt < FLOOD_QUIET_MS;
  if (!ongoing) {
    return { report: { peerId: event.peerId, nick, shownAt: now, lastAt: now, unshown: 0, total: event.dropped }, line: floodStartedText(who, event.dropped) };
  }
  const total = previous.total + event.dropped;
  const unshown = previous.unshown + event.dropped;
  if (now - previous.shownAt < FLOOD_LINE_INTERVAL_MS) {
    return { report: { ...previous, peerId: event.peerId ?? previous.peerId, nick, lastAt: now, unshown, total }, line: null };
  }
  return { report: { peerId: event.peerId ?? previous.peerId, nick, shownAt: now, lastAt: now, unshown: 0, total }, line: floodContinuesText(who, unshown, total) };
}
