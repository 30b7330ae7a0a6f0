import { useMemo } from 'react';
import { shortPeerId } from '../lib/format.js';
import { useRoomPeers } from '../store/selectors.js';
import { useChatStore } from '../store/store.js';
import { PeerItem } from './PeerItem.js';

// localeCompare with numeric: true, made once: "peer 2" before "peer 10", accents and case as the user's language sorts them.
const byNick = new Intl.Collator(undefined, { numeric: true });

/** Who else is in the open room, as their announcements say. */
export function PeersPanel({ roomId }: { roomId: string }) {
  const byId = useRoomPeers(roomId);
  const nickname = useChatStore((s) => s.nickname);
  const peerId = useChatStore((s) => s.peerId);
  const peers = useMemo(() => Object.values(byId).sort((a, b) => byNick.compare(a.nick, b.nick) || (a.peerId < b.peerId ? -1 : a.peerId > b.peerId ? 1 : 0)), [byId]);
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
