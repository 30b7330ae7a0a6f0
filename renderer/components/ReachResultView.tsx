import { Fragment, useMemo } from 'react';
import type { ReachResult, RoomSnapshot } from '../../shared/events.js';
import { formatTime } from '../lib/format.js';
import { reachComparison, reachLines, reachNames, reachSummary } from '../lib/reach-view.js';
import { useRoomPeers } from '../store/selectors.js';
import { useChatStore } from '../store/store.js';

/** A finished probe: who answered first at each TTL, and what the room's current TTL covers. */
export function ReachResultView({ room, rows, finishedAt }: { room: RoomSnapshot; rows: readonly ReachResult[]; finishedAt: number }) {
  const known = useRoomPeers(room.roomId);
  const selfId = useChatStore((s) => s.peerId);
  const lines = useMemo(() => reachLines(rows, reachNames(rows, known, selfId)), [rows, known, selfId]);
  const comparison = reachComparison(rows, room.ttl);
  return (
    <>
      <ol className="reach-list" aria-label="Who answered, per TTL">
        {lines.map((line) => (
          <li key={line.key} className={line.peers.length > 0 ? 'reach-list__line' : 'reach-list__line reach-list__line--empty'}>
            <span className="reach-list__ttl">{line.label}:</span>{' '}
            {line.peers.length > 0
              ? line.peers.map((peer, i) => (
                  <Fragment key={peer.peerId}>
                    {i > 0 ? ', ' : null}
                    <span className="reach-list__peer" title={peer.src}>
                      {peer.name}
                    </span>
                  </Fragment>
                ))
              : 'nobody new'}
          </li>
        ))}
      </ol>
      <p className="reach__summary">{reachSummary(rows)}</p>
      {comparison ? <p className="reach__compare">{comparison}</p> : null}
      <p className="hint">
        Probed up to TTL {rows.length} at {formatTime(finishedAt)}.
      </p>
    </>
  );
}
