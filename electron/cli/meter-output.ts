import type { PeerMeter, RoomCounters } from '../../shared/events.js';
import { terminalSafe, terminalSafeJson } from './terminal-text.js';

/** One peer of `listen --stats`, the mcjoin columns. */
export interface PeerStats extends Omit<PeerMeter, 'late'> {
  /** Null when we never learnt it (a peer only counted, never heard announcing itself). */
  readonly nick: string | null;
}

/** The core's meters with a nickname each, busiest first so the table starts with who matters. */
export function peerStats(meters: readonly PeerMeter[], nickOf: (peerId: string) => string | null): PeerStats[] {
  return meters
    .map((m) => ({ peerId: m.peerId, nick: nickOf(m.peerId), received: m.received, gaps: m.gaps, repaired: m.repaired, lost: m.lost, duplicates: m.duplicates, reordered: m.reordered }))
    .sort((a, b) => b.received - a.received || a.peerId.localeCompare(b.peerId));
}

/** `listen --stats --json`'s last line. Nicknames come from the wire: escaped as in every --json line. */
export function statsJson(peers: readonly PeerStats[], counters: RoomCounters): string {
  return terminalSafeJson(JSON.stringify({ kind: 'stats', peers, counters }));
}

const COLUMNS = ['received', 'gaps', 'repaired', 'lost', 'duplicates', 'reordered'] as const;

/** The per-peer table after the counters: one row per peer, numbers right-aligned under their heading. */
export function peerTableLines(peers: readonly PeerStats[]): string[] {
  if (peers.length === 0) return ['peers: none heard'];
  const names = peers.map((p) => `${terminalSafe(p.nick ?? '?')} [${p.peerId}]`);
  const nameWidth = Math.max('peer'.length, ...names.map((n) => n.length));
  const header = ['peer'.padEnd(nameWidth), ...COLUMNS].join('  ');
  const rows = peers.map((p, i) => [(names[i] ?? '').padEnd(nameWidth), ...COLUMNS.map((c) => p[c].toLocaleString('en-US').padStart(c.length))].join('  '));
  return ['peers:', `  ${header}`, ...rows.map((r) => `  ${r}`)];
}
