import type { PeerMeter } from '../../shared/events.js';
import { formatNumber } from '../lib/format.js';

/** A line names at most this many senders; a storm of copies from everyone stays one short line. */
const MAX_NAMED = 4;

export interface DuplicateBurst {
  readonly who: string;
  readonly count: number;
}

/** Duplicates each peer sent since its previous meter, largest first. */
export function duplicateBursts(
  before: Readonly<Record<string, PeerMeter>> | undefined,
  changed: readonly PeerMeter[],
  nameOf: (peerId: string) => string,
): DuplicateBurst[] {
  return changed
    .map((meter) => ({ who: nameOf(meter.peerId), count: meter.duplicates - (before?.[meter.peerId]?.duplicates ?? 0) }))
    .filter((burst) => burst.count > 0)
    .sort((a, b) => b.count - a.count);
}

const datagrams = (n: number): string => `${formatNumber(n)} duplicate ${n === 1 ? 'datagram' : 'datagrams'}`;

/** "3 duplicate datagrams from alice.", or one line for several senders; null when there were none. */
export function duplicatesText(bursts: readonly DuplicateBurst[]): string | null {
  if (bursts.length === 0) return null;
  if (bursts.length === 1) {
    const only = bursts[0] as DuplicateBurst;
    return `${datagrams(only.count)} from ${only.who} (already had them: dropped).`;
  }
  const named = bursts.slice(0, MAX_NAMED).map((b) => `${formatNumber(b.count)} from ${b.who}`);
  const rest = bursts.slice(MAX_NAMED);
  const others = rest.length > 0 ? `, ${formatNumber(rest.reduce((sum, b) => sum + b.count, 0))} from ${formatNumber(rest.length)} others` : '';
  const total = bursts.reduce((sum, b) => sum + b.count, 0);
  return `${datagrams(total)} (already had them: dropped): ${named.join(', ')}${others}.`;
}
