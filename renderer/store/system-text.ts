import type { PeerInfo, RoomSnapshot } from '../../shared/events.js';
import { formatNumber } from '../lib/format.js';

/** The sentences the app writes into a room's log. */

const plural = (n: number, one: string, many: string): string => `${formatNumber(n)} ${n === 1 ? one : many}`;

export function peerJoinedText(peer: PeerInfo): string {
  const from = peer.addresses[0];
  return from ? `${peer.nick} joined from ${from}.` : `${peer.nick} joined.`;
}

export function peerLeftText(peer: PeerInfo, reason: 'bye' | 'timeout'): string {
  return reason === 'timeout' ? `${peer.nick} went silent and timed out.` : `${peer.nick} left.`;
}

export function peerRenamedText(before: PeerInfo, after: PeerInfo): string {
  return `${before.nick} is now known as ${after.nick}.`;
}

export function roomJoinedText(room: RoomSnapshot): string {
  const where = room.interfaces.map((i) => `${i.name} (${i.address})`).join(', ');
  return where ? `Joined ${room.group}:${room.port} on ${where}.` : `Joined ${room.group}:${room.port}.`;
}

/** Loud on purpose: someone may be posing as another person. */
export function impersonationText(peer: PeerInfo): string {
  return `${peer.nick} (key ${peer.fingerprint}) uses a nickname first seen with another key: maybe not who they say.`;
}

export function reconnectingText(): string {
  return 'The network changed or went away: reconnecting…';
}

export function gapText(nick: string, count: number): string {
  return `${plural(count, 'message', 'messages')} from ${nick} could not be recovered.`;
}

/** "alice (198.18.1.66:6666)", or the bare source when nobody announced it. */
export function floodSource(nick: string | null, src: string): string {
  return nick ? `${nick} (${src})` : src;
}

export function floodStartedText(who: string, dropped: number): string {
  return `${who} is flooding the room: ${plural(dropped, 'datagram', 'datagrams')} dropped.`;
}

export function floodContinuesText(who: string, dropped: number, total: number): string {
  return `${who} is still flooding the room: ${formatNumber(dropped)} more dropped, ${plural(total, 'datagram', 'datagrams')} in all.`;
}

export function floodEndedText(who: string, total: number): string {
  return `${who} stopped flooding the room: ${plural(total, 'datagram', 'datagrams')} dropped in all.`;
}
