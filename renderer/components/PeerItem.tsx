import type { PeerInfo } from '../../shared/events.js';
import { shortPeerId } from '../lib/format.js';

export function PeerItem({ peer }: { peer: PeerInfo }) {
  return (
    <li className="peer">
      <span className="peer__nick">{peer.nick}</span>{' '}
      <span className="peer__id" title={`Peer id ${peer.peerId}`}>
        #{shortPeerId(peer.peerId)}
      </span>
      <span className="peer__detail">{peer.addresses.join(', ') || 'no address yet'}</span>
      <span className="peer__detail">{peer.app ?? 'app not announced yet'}</span>
    </li>
  );
}
