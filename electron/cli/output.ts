import type { ChatMessage, PeerInfo, RoomCounters, RoomSnapshot } from '../../shared/events.js';

/** The `--json` line: stable field names, documented in docs/protocol.md. */
export function messageJson(message: ChatMessage, room: Pick<RoomSnapshot, 'group' | 'port'>): string {
  return JSON.stringify({
    kind: message.kind,
    text: message.text,
    nick: message.nick,
    peerId: message.peerId,
    src: message.src,
    group: room.group,
    port: room.port,
    ttl: message.ttl,
    ts: message.ts,
    id: message.id,
    seq: message.seq,
    own: message.own,
    fragments: message.fragments,
    bytes: message.bytes,
    receivedAt: message.receivedAt,
    order: message.order,
    history: message.history ?? false,
  });
}

function clock(ts: number): string {
  return new Date(ts).toTimeString().slice(0, 8);
}

export function messageLine(message: ChatMessage): string {
  if (message.kind === 'raw') return `${clock(message.receivedAt)} raw ${message.src}: ${message.text}`;
  const who = message.own ? `${message.nick} (you)` : message.nick;
  return `${clock(message.ts)} <${who}> [ttl ${message.ttl}] ${message.text}`;
}

export function roomLine(room: RoomSnapshot): string {
  const via = room.interfaces.map((i) => `${i.name} ${i.address}`).join(', ');
  const lock = room.encrypted ? `, encrypted, key ${room.keyId ?? '?'}` : '';
  return `mcchat: listening on ${room.group}:${room.port} via ${via} (ttl ${room.ttl}, loopback ${room.loopback ? 'on' : 'off'}${lock})`;
}

export function peerLine(peer: PeerInfo): string {
  const flags = `${peer.verified ? ', verified' : ''}${peer.impersonates ? ', NOT THE FIRST "' + peer.nick + '" SEEN: maybe an impostor' : ''}`;
  return `${peer.nick} [${peer.fingerprint}] at ${peer.addresses.join(', ')}${peer.app ? `, ${peer.app}` : ''}${flags}`;
}

export function countersLine(c: RoomCounters): string {
  return (
    `in ${c.datagramsIn} datagrams / ${c.bytesIn} B, out ${c.datagramsOut} / ${c.bytesOut} B; ` +
    `chat ${c.chatMessagesIn}, raw ${c.rawDatagrams}, presence ${c.presenceIn}, invalid ${c.invalidFrames}, ` +
    `other versions ${c.unsupportedVersion}, duplicates ${c.duplicates}, own echoes ${c.ownEchoes}, send errors ${c.sendErrors}`
  );
}
