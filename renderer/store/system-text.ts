import type { PeerInfo, RoomSnapshot } from '../../shared/events.js';

/** The sentences the app writes into a room's log. */

export function peerJoinedText(peer: PeerInfo): string {
  const from = peer.addresses[0];
  return from ? `${peer.nick} joined from ${from}.` : `${peer.nick} joined.`;
}

export function peerLeftText(peer: PeerInfo, reason: 'bye' | 'timeout' | 'room-left'): string {
  return reason === 'timeout' ? `${peer.nick} went silent and timed out.` : `${peer.nick} left.`;
}

export function peerRenamedText(before: PeerInfo, after: PeerInfo): string {
  return `${before.nick} is now known as ${after.nick}.`;
}

export function roomJoinedText(room: RoomSnapshot): string {
  const where = room.interfaces.map((i) => `${i.name} (${i.address})`).join(', ');
  return where ? `Joined ${room.group}:${room.port} on ${where}.` : `Joined ${room.group}:${room.port}.`;
}
