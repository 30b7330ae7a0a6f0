import { useMemo } from 'react';
import { shortPeerId } from '../lib/format.js';
import { useRoomPeers } from '../store/selectors.js';
import { useChatStore } from '../store/store.js';
import { PeerItem } from './PeerItem.js';

/** Who else is in the open room, as their announcements say. */
export function PeersPanel({ roomId }: { roomId: string }) {
  const byId = useRoomPeers(roomId);
  const nickname = useChatStore((s) => s.nickname);
  const peerId = useChatStore((s) => s.peerId);
  const peers = useMemo(() => Object.values(byId).sort((a, b) => a.nick.localeCompare(b.nick) || a.peerId.localeCompare(b.peerId)), [byId]);
  return (
    <section className="panel" aria-labelledby="peers-heading">
      <h2 id="peers-heading" className="panel__title">
        People <span className="panel__count">({peers.length + 1})</span>
      </h2>
      <ul className="peer-list" aria-label="People in this room">
        <li className="peer peer--self">
          <span className="peer__nick">{nickname}</span> <span className="hint">(you)</span>{' '}
          <span className="peer__id" title={`Peer id ${peerId}`}>
            #{shortPeerId(peerId)}
          </span>
        </li>
        {peers.map((peer) => (
          <PeerItem key={peer.peerId} peer={peer} />
        ))}
      </ul>
      {peers.length === 0 ? <p className="hint">Nobody else has announced themselves yet. Raw senders (the Python snippets) never do.</p> : null}
    </section>
  );
}
