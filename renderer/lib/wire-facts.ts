import type { ChatMessage, RoomSnapshot } from '../../shared/events.js';
import { fingerprintOf } from '../../shared/fingerprint.js';
import { describeTtl, ttlScopeName } from '../../shared/ttl-scopes.js';
import { visibleText } from '../../shared/wire-story.js';
import { formatDuration, formatNumber } from './format.js';

/**
 * What the inspector says about a message in words: where it came from and went to, and how it
 * got here. Pure, so the sentences are tested apart from the page.
 */
export interface WireFact {
  readonly label: string;
  readonly value: string;
  /** The longer explanation, as a tooltip. */
  readonly title?: string;
}

export interface JourneyOptions {
  /** Presenter mode: no fingerprints, no key ids on the projector. */
  readonly presenter: boolean;
  /** Our own fingerprint, for "signed with your key". */
  readonly ownFingerprint: string;
  /** The key id read from the sealed frame on the wire, when it was read. */
  readonly wireKeyId: string | null;
}

type Room = Pick<RoomSnapshot, 'group' | 'port' | 'encrypted' | 'keyId' | 'interfaces'>;

function interfaceText(message: ChatMessage, room: Room): string {
  if (message.iface === undefined) return 'not known';
  const address = room.interfaces.find((i) => i.name === message.iface)?.address;
  return address ? `${visibleText(message.iface)} (${address})` : visibleText(message.iface);
}

export function summaryFacts(message: ChatMessage, room: Room): WireFact[] {
  const raw = message.kind === 'raw';
  const datagrams = `${message.fragments} datagram${message.fragments === 1 ? '' : 's'}, ${formatNumber(message.bytes)} bytes`;
  return [
    { label: message.own ? 'From (you)' : 'From', value: message.src, title: message.own ? 'The first local socket this computer sent it from' : 'Source ip:port of its first datagram' },
    { label: message.own ? 'Sent on' : 'Arrived on', value: interfaceText(message, room), title: 'The network interface' },
    { label: 'To group', value: `${room.group}:${room.port}` },
    message.ttl === null
      ? { label: 'TTL', value: 'not known', title: 'A raw datagram does not say its TTL, and a program cannot read the IP header’s TTL from a UDP socket.' }
      : { label: 'TTL', value: `${message.ttl} · ${ttlScopeName(message.ttl)}`, title: describeTtl(message.ttl, room.group) },
    { label: 'On the wire', value: raw ? `${formatNumber(message.bytes)} bytes, one datagram` : datagrams, ...(message.fragments > 1 ? { title: 'Too long for one datagram: split into fragments, reassembled here' } : {}) },
    { label: 'Sequence number', value: message.seq === null ? 'none (raw)' : String(message.seq) },
  ];
}

const VIA: Readonly<Record<NonNullable<ChatMessage['via']>, string>> = {
  live: 'Came live: it arrived as it was sent.',
  repair: 'Repaired: lost on the way, then resent by the sender after a NACK asked for it.',
  late: 'Late: given up as lost, then it arrived after all.',
  history: 'History: from before you joined, resent by a peer to this newcomer.',
};

/** How the message got here, and which checks it passed, one sentence each. */
export function journey(message: ChatMessage, room: Room, options: JourneyOptions): string[] {
  const lines: string[] = [];
  if (message.kind === 'raw') {
    lines.push('Raw datagram: no marker, no header, no signature. Shown as text, unchecked, with its source address.');
    return lines;
  }
  const keyId = options.wireKeyId ?? room.keyId;
  const sealed = room.encrypted ? (options.presenter || keyId === null ? 'the room key' : `key ${keyId}`) : null;
  if (message.own) {
    lines.push('Sent by you.');
    lines.push(options.presenter || options.ownFingerprint === '' ? 'Signed with your key.' : `Signed with your key ${options.ownFingerprint}.`);
    if (sealed) lines.push(`Encrypted with ${sealed} (the room's passphrase).`);
  } else {
    if (message.via !== undefined) lines.push(VIA[message.via]);
    if (message.history && message.via !== 'history') lines.push("From this computer's saved history.");
    lines.push(options.presenter || message.peerId === null ? 'Signature verified.' : `Signature verified: key ${fingerprintOf(message.peerId)}.`);
    if (sealed) lines.push(`Decrypted with ${sealed}.`);
  }
  if (message.fragments > 1) lines.push(`Reassembled from ${message.fragments} fragments.`);
  if (message.clockAheadMs !== undefined) lines.push(`The sender's clock is ${formatDuration(message.clockAheadMs)} ahead: shown where it arrived.`);
  return lines;
}

/** The inspector's title: whose message it is. */
export function inspectorTitle(message: ChatMessage): string {
  if (message.kind === 'raw') return `Raw datagram from ${message.src}`;
  if (message.own) return 'Your message';
  return `Message from ${message.nick ?? 'someone'}`;
}
