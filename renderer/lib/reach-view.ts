import type { PeerInfo, ReachResult } from '../../shared/events.js';
import { PROBE_SPACING_MS } from '../../shared/reach.js';
import { TTL_SCOPES } from '../../shared/ttl-scopes.js';
import { shortPeerId } from './format.js';

/** One line of the reach panel: a TTL and who answered first there, or a run of TTLs where nobody new did. */
export interface ReachLine {
  readonly key: string;
  readonly label: string;
  /** Empty: nobody new. */
  readonly peers: readonly { readonly peerId: string; readonly name: string; readonly src: string }[];
}

const routers = (n: number): string => `${n} router${n === 1 ? '' : 's'}`;

/** "TTL 1 (subnet)", "TTL 2 — 1 router away", "TTL 32 (site) — 31 routers away": the scope's name where the lecture has one. */
export function reachLabel(ttl: number, reachedSomeone: boolean): string {
  const scope = TTL_SCOPES.find((s) => s.ttl === ttl);
  const base = scope ? `TTL ${ttl} (${scope.name})` : `TTL ${ttl}`;
  return reachedSomeone && ttl > 1 ? `${base} — ${routers(ttl - 1)} away` : base;
}

/**
 * How each answering peer is named: as the peer list names it, or, for someone the list does
 * not know (a listener that never announced itself, one that left) or a name two answering
 * peers share, the name and the start of the peer id, so two bobs stay two.
 */
export function reachNames(rows: readonly ReachResult[], known: Readonly<Record<string, PeerInfo>>, selfId: string): Map<string, string> {
  const all = rows.flatMap((row) => row.peers);
  const nickOf = (p: { peerId: string; nick: string }): string => known[p.peerId]?.nick ?? p.nick;
  const counts = new Map<string, number>();
  for (const p of all) counts.set(nickOf(p), (counts.get(nickOf(p)) ?? 0) + 1);
  const names = new Map<string, string>();
  for (const p of all) {
    const nick = nickOf(p);
    if (p.peerId === selfId) names.set(p.peerId, `${nick} (you)`);
    else if (known[p.peerId] && counts.get(nick) === 1) names.set(p.peerId, nick);
    else names.set(p.peerId, `${nick} #${shortPeerId(p.peerId)}`);
  }
  return names;
}

/**
 * The lines to show, one per TTL, except that a run of TTLs where nobody new answered is one
 * line ("TTL 3–8: nobody new"): with a limit of 32 the list stays readable on a projector.
 */
export function reachLines(rows: readonly ReachResult[], names: ReadonlyMap<string, string>): ReachLine[] {
  const lines: ReachLine[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as ReachResult;
    if (row.peers.length > 0) {
      const peers = row.peers.map((p) => ({ peerId: p.peerId, name: names.get(p.peerId) ?? p.nick, src: p.src }));
      lines.push({ key: String(row.ttl), label: reachLabel(row.ttl, true), peers });
      continue;
    }
    let last = i;
    while (last + 1 < rows.length && rows[last + 1]?.peers.length === 0) last++;
    const end = rows[last] as ReachResult;
    lines.push({ key: `${row.ttl}-${end.ttl}`, label: end.ttl === row.ttl ? reachLabel(row.ttl, false) : `TTL ${row.ttl}–${end.ttl}`, peers: [] });
    i = last;
  }
  return lines;
}

/** The lowest TTL at which each answering peer was reached, in the order they were listed. */
const firstReached = (rows: readonly ReachResult[]): number[] => rows.flatMap((row) => row.peers.map(() => row.ttl));

/**
 * The room's own TTL against the answers: "The room's TTL 1 reaches 2 of 3 peers that
 * answered." Null when nobody answered (the summary says so instead).
 */
export function reachComparison(rows: readonly ReachResult[], roomTtl: number): string | null {
  const reached = firstReached(rows);
  const total = reached.length;
  if (total === 0) return null;
  const peers = `${total} peer${total === 1 ? '' : 's'} that answered`;
  if (roomTtl === 0) return `The room's TTL 0 reaches none of the ${peers}: its messages never leave this computer.`;
  const within = reached.filter((ttl) => ttl <= roomTtl).length;
  if (within === total) return total === 1 ? `The room's TTL ${roomTtl} reaches the one peer that answered.` : `The room's TTL ${roomTtl} reaches all ${peers}.`;
  const needed = Math.max(...reached);
  return `The room's TTL ${roomTtl} reaches ${within} of ${peers}; TTL ${needed} would reach them all.`;
}

/** What the probe found overall, as mcchat probe ends: who answered and how far the farthest is. */
export function reachSummary(rows: readonly ReachResult[]): string {
  const reached = firstReached(rows);
  if (reached.length === 0) {
    return `Nobody answered up to TTL ${rows.length}: no other member in the room, or only passive listeners and one-shot senders (they do not answer).`;
  }
  const farthest = Math.max(...reached);
  const where = farthest === 1 ? 'on this subnet' : `${routers(farthest - 1)} away`;
  return `${reached.length} peer${reached.length === 1 ? '' : 's'} answered; the farthest is ${where} (first reached at TTL ${farthest}).`;
}

/**
 * Where a running probe is, worked out from the time since it started and the core's pace (one
 * TTL every 200 ms, then a second for the last answers): main reports nothing until the end.
 */
export function probeProgress(elapsedMs: number, ttlMax: number): string {
  const ttl = Math.floor(Math.max(0, elapsedMs) / PROBE_SPACING_MS) + 1;
  if (ttl <= ttlMax) return `Probing TTL ${ttl} of ${ttlMax}…`;
  return 'Waiting for the last answers…';
}
