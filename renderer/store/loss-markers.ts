import type { GapReport } from '../../shared/events.js';
import { formatNumber } from '../lib/format.js';
import { lowerBound } from './log-order.js';
import type { LogEntry, SystemEntry } from './messages-slice.js';

/**
 * Loss in place: each run of missing messages the core reports is one line in the log, just
 * before the message whose arrival revealed it, rewritten in place as the repair goes on.
 */

/**
 * Markers kept per room, newest last. A lossy demo (netem at 30 %) finds hundreds of runs a
 * minute; beyond this the oldest markers leave the log, so they never crowd out the conversation.
 */
export const MAX_MARKERS_PER_ROOM = 300;

/** Where a room's marker for one gap is: enough to find it again in the sorted log. */
export interface MarkerRef {
  readonly order: string;
  readonly ts: number;
  readonly peerId: string;
}

// Above every character a key holds (the core's digits, '.', hex and ':', the app's '~').
const BEFORE_MARK = '\uffff';

/**
 * A key just before `revealing` and after every key below it: its last character one lower,
 * then a character above any a key holds. Keys have a fixed shape, so no real key falls between.
 */
export function markerOrder(revealing: string): string {
  const last = revealing.charCodeAt(revealing.length - 1);
  return `${revealing.slice(0, -1)}${String.fromCharCode(last - 1)}${BEFORE_MARK}`;
}

export const markerId = (gapId: string): string => `loss:${gapId}`;

const plural = (n: number, one: string, many: string): string => `${formatNumber(n)} ${n === 1 ? one : many}`;
const nacksText = (n: number): string => plural(n, 'NACK', 'NACKs');

/** How the repair of a run stands, in words: colour and icon only repeat it. */
export function lossOutcomeText(gap: GapReport): string {
  const nacks = gap.nacks > 0 ? ` after ${nacksText(gap.nacks)}` : '';
  if (gap.state === 'asking') return gap.repaired > 0 ? `${formatNumber(gap.repaired)} repaired, asking for the rest (${nacksText(gap.nacks)})` : `asking (${nacksText(gap.nacks)})`;
  const parts: [number, string][] = [
    [gap.repaired, 'repaired'],
    [gap.lost, 'lost'],
    [gap.outOfScope, 'not meant for us (sent with a narrower TTL)'],
  ];
  const some = parts.filter(([n]) => n > 0);
  if (some.length === 0) return gap.state;
  // All of the run went one way: say how, without counting it twice.
  if (some.length === 1) return `${(some[0] as [number, string])[1]}${nacks}`;
  return `${some.map(([n, what]) => `${formatNumber(n)} ${what}`).join(', ')}${nacks}`;
}

export function lossMarkerText(gap: GapReport): string {
  return `${plural(gap.count, 'message', 'messages')} from ${gap.nick} missing — ${lossOutcomeText(gap)}`;
}

/** What settled as loss is a warning; asking and repaired are news, not trouble. */
export function lossTone(gap: GapReport): SystemEntry['tone'] {
  return gap.state === 'lost' || gap.state === 'partly' || (gap.state !== 'asking' && gap.lost > 0) ? 'warning' : 'info';
}

export function lossEntry(gap: GapReport, ref: Pick<MarkerRef, 'order' | 'ts'>): SystemEntry {
  return { kind: 'system', id: markerId(gap.id), text: lossMarkerText(gap), ts: ref.ts, tone: lossTone(gap), order: ref.order, gap };
}

function findEntry(log: readonly LogEntry[], order: string, id: string): number {
  for (let i = lowerBound(log, order); i < log.length && (log[i] as LogEntry).order === order; i++) {
    const entry = log[i] as LogEntry;
    if (entry.kind === 'system' && entry.id === id) return i;
  }
  return -1;
}

/** Each marker replaces the one with its id at its key; one copy of the log for all of them. */
export function replaceMarkers(log: readonly LogEntry[], markers: readonly SystemEntry[]): readonly LogEntry[] {
  let next: LogEntry[] | null = null;
  for (const marker of markers) {
    const at = findEntry(next ?? log, marker.order, marker.id);
    // Gone with the oldest lines when the log was trimmed: nothing to update.
    if (at === -1) continue;
    next ??= log.slice();
    next[at] = marker;
  }
  return next ?? log;
}

/** The log without these markers; the same array when none of them is in it. */
export function removeMarkers(log: readonly LogEntry[], markers: readonly { readonly order: string; readonly id: string }[]): readonly LogEntry[] {
  const drop = new Set<number>();
  for (const marker of markers) {
    const at = findEntry(log, marker.order, marker.id);
    if (at !== -1) drop.add(at);
  }
  return drop.size === 0 ? log : log.filter((_, i) => !drop.has(i));
}
