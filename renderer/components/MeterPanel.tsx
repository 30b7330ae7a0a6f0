import { useMemo } from 'react';
import type { PeerInfo, PeerMeter } from '../../shared/events.js';
import { useNow } from '../hooks/use-now.js';
import { formatAgo, formatNumber, formatTime, shortPeerId } from '../lib/format.js';
import { setShowDuplicates } from '../store/actions.js';
import { meterSince } from '../store/counter-baseline.js';
import { useDepartedPeers, useRoomBaseline, useRoomMeters, useRoomPeers } from '../store/selectors.js';
import { useChatStore } from '../store/store.js';

type Column = Exclude<keyof PeerMeter, 'peerId' | 'late'>;

// Short headings so six numbers fit the details column; the full words are for screen readers and the tooltip.
const COLUMNS: readonly (readonly [Column, string, string, string])[] = [
  ['received', 'recv', 'received', 'Messages received (live and history)'],
  ['gaps', 'gaps', 'gaps', 'Sequence numbers found missing'],
  ['repaired', 'rep', 'repaired', 'Arrived after a NACK asked for them'],
  ['lost', 'lost', 'lost', 'Given up: never arrived'],
  ['duplicates', 'dup', 'duplicates', 'Copies of messages already had, dropped'],
  ['reordered', 'reord', 'reordered', 'Arrived after a later one, before anyone asked'],
];

const EMPTY = (peerId: string): PeerMeter => ({ peerId, received: 0, gaps: 0, repaired: 0, lost: 0, duplicates: 0, reordered: 0, late: 0 });
const byNick = new Intl.Collator(undefined, { numeric: true });

interface Row {
  readonly peerId: string;
  readonly info: PeerInfo | undefined;
  readonly left: boolean;
  readonly meter: PeerMeter;
}

function detail(row: Row, now: number): string {
  const heard = row.info ? (row.left ? `left, last heard ${formatTime(row.info.lastSeen)}` : `heard ${formatAgo(now - row.info.lastSeen)}`) : 'not announced yet';
  const late = row.meter.late > 0 ? [`${formatNumber(row.meter.late)} arrived late`] : [];
  const where = row.info ? [row.info.addresses.join(', ') || 'no address yet', row.info.app ?? 'app not announced yet'] : [];
  return [heard, ...late, ...where].join(' · ');
}

/**
 * Per peer, like mcjoin: what arrived from it and what loss repair did about what did not, with
 * where it was heard from. Peers that left keep their row (their meter is still the story).
 */
export function MeterPanel({ roomId }: { roomId: string }) {
  const meters = useRoomMeters(roomId);
  const peers = useRoomPeers(roomId);
  const departed = useDepartedPeers(roomId);
  const baseline = useRoomBaseline(roomId);
  const showDuplicates = useChatStore((s) => s.showDuplicates);
  const now = useNow();

  const rows = useMemo(() => {
    const ids = new Set([...Object.keys(peers), ...Object.keys(meters)]);
    return [...ids]
      .map((peerId): Row => {
        const info = peers[peerId] ?? departed[peerId];
        const meter = meters[peerId] ?? EMPTY(peerId);
        return { peerId, info, left: !peers[peerId], meter: meterSince(meter, baseline?.meters[peerId]) };
      })
      .sort((a, b) => byNick.compare(a.info?.nick ?? '\uffff', b.info?.nick ?? '\uffff') || (a.peerId < b.peerId ? -1 : 1));
  }, [peers, meters, departed, baseline]);

  return (
    <section className="panel" aria-labelledby="meter-heading">
      <h2 id="meter-heading" className="panel__title">
        Per-peer meter
      </h2>
      {rows.length === 0 ? (
        <p className="hint">Nobody heard yet. Raw senders (the Python snippets) have no peer id, so they are only in the counters.</p>
      ) : (
        <table className="meter">
          <caption className="visually-hidden">What arrived from each peer, and what loss repair did about what did not{baseline ? `, since ${formatTime(baseline.at)}` : ''}</caption>
          <thead>
            <tr>
              {COLUMNS.map(([key, short, long, title]) => (
                <th key={key} scope="col" title={title}>
                  <span aria-hidden="true">{short}</span>
                  <span className="visually-hidden">{long}</span>
                </th>
              ))}
            </tr>
          </thead>
          {rows.map((row) => (
            <tbody key={row.peerId} className={row.left ? 'meter__peer meter__peer--left' : 'meter__peer'}>
              <tr>
                <th scope="rowgroup" colSpan={COLUMNS.length} className="meter__name">
                  {row.info?.nick ?? 'unknown'} <span className="meter__id">#{shortPeerId(row.peerId)}</span>
                  {row.left ? ' (left)' : ''}
                </th>
              </tr>
              <tr className="meter__counts">
                {COLUMNS.map(([key]) => (
                  <td key={key} className={(key === 'lost' || key === 'gaps') && row.meter[key] > 0 ? `meter__count meter__count--${key}` : 'meter__count'}>
                    {formatNumber(row.meter[key])}
                  </td>
                ))}
              </tr>
              <tr>
                <td colSpan={COLUMNS.length} className="meter__detail">
                  {detail(row, now)}
                </td>
              </tr>
            </tbody>
          ))}
        </table>
      )}
      {baseline ? <p className="hint">Counted since {formatTime(baseline.at)} (Reset, under Rates and counters).</p> : null}
      <label className="meter__toggle">
        <input type="checkbox" checked={showDuplicates} onChange={(event) => setShowDuplicates(event.target.checked)} /> Show duplicates in the log
      </label>
      <p className="hint">For a demo: a line for each burst of copies already had (a second interface, repairs meant for others, replays). Off, they are only counted.</p>
    </section>
  );
}
