import type { ReachResult, RoomSnapshot } from '../../shared/events.js';
import { probeDurationMs } from '../../shared/reach.js';
import { TTL_SCOPES } from '../../shared/ttl-scopes.js';
import { terminalSafe, terminalSafeJson } from './terminal-text.js';

/** `probe --json`: one line per TTL tried. Nicknames come from the wire: escaped like every --json line. */
export function reachJson(row: ReachResult): string {
  return terminalSafeJson(JSON.stringify({ ttl: row.ttl, peers: row.peers.map((p) => ({ peerId: p.peerId, nick: p.nick, src: p.src })) }));
}

/** "TTL 1 (subnet)", "TTL 2": the scope's name only where the lecture's table has one. */
function ttlLabel(ttl: number): string {
  const scope = TTL_SCOPES.find((s) => s.ttl === ttl);
  return scope ? `TTL ${ttl} (${scope.name})` : `TTL ${ttl}`;
}

/** The readable table: "TTL 1 (subnet): bob 10.0.0.2:4242", "TTL 3: nobody new", then a summary. */
export function reachLines(rows: readonly ReachResult[]): string[] {
  const lines = rows.map((row) => {
    const who = row.peers.map((p) => `${terminalSafe(p.nick)} ${terminalSafe(p.src)}`).join(', ');
    return `${ttlLabel(row.ttl)}: ${who || 'nobody new'}`;
  });
  const total = rows.reduce((n, row) => n + row.peers.length, 0);
  const tried = rows.length;
  if (total === 0) {
    lines.push(`Nobody answered up to TTL ${tried}: no member in the room, or only passive listeners and one-shot senders (they do not answer).`);
    return lines;
  }
  const farthest = rows.filter((row) => row.peers.length > 0).at(-1)?.ttl ?? 1;
  const routers = farthest - 1;
  const where = routers === 0 ? 'on this subnet' : `${routers} router${routers === 1 ? '' : 's'} away`;
  lines.push(`${total} peer${total === 1 ? '' : 's'} answered; the farthest is ${where} (first reached at TTL ${farthest}).`);
  return lines;
}

/**
 * What the probe is about to do, on stderr: the room's own TTL is not used (each probe carries
 * its own), so the line names the range instead. Its duration is the core's timing
 * (shared/reach.ts).
 */
export function probingLine(room: Pick<RoomSnapshot, 'group' | 'port' | 'interfaces'>, ttlMax: number): string {
  const via = room.interfaces.map((i) => `${i.name} ${i.address}`).join(', ');
  const seconds = Math.ceil(probeDurationMs(ttlMax) / 1_000);
  return `mcchat: probing ${room.group}:${room.port} via ${via} with TTL 1 to ${ttlMax} (about ${seconds} s); members answer, passive listeners and senders do not`;
}
