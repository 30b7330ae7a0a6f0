import type { PeerInfo } from '../../shared/events.js';
import { shortPeerId } from '../lib/format.js';

export function PeerItem({ peer }: { peer: PeerInfo }) {
  return (
    <li className={peer.flooding ? 'peer peer--flooding' : 'peer'}>
      <span className="peer__nick">{peer.nick}</span>{' '}
      <span className="peer__id" title={`Peer id ${peer.peerId}`}>
        #{shortPeerId(peer.peerId)}
      </span>
      {peer.flooding ? (
        // Icon and word, so neither colour nor the symbol alone carries the meaning.
        <span className="peer__flag" title="Sends faster than the room's limit: what is over it is dropped.">
          <span aria-hidden="true">{'\u26a0\ufe0e'}</span> flooding
          <span className="visually-hidden">: sends faster than the room's limit, and what is over it is dropped</span>
        </span>
      ) : null}
      <span className="peer__detail">{peer.addresses.join(', ') || 'no address yet'}</span>
      <span className="peer__detail">{peer.app ?? 'app not announced yet'}</span>
    </li>
  );
}
