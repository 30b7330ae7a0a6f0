import type { ChatMessage, PeerInfo, RoomCounters, RoomSnapshot } from '../../shared/events.js';
import { ttlScopeName } from '../../shared/ttl-scopes.js';
import { indentedBody, terminalSafe, terminalSafeJson } from './terminal-text.js';

/** The `--json` line: stable field names, documented in docs/protocol.md. */
export function messageJson(message: ChatMessage, room: Pick<RoomSnapshot, 'group' | 'port'>): string {
  return terminalSafeJson(
    JSON.stringify({
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
      // The same count under the issue's name for it: what the inspector calls datagrams.
      datagrams: message.fragments,
      bytes: message.bytes,
      iface: message.iface ?? null,
      scope: message.ttl === null ? null : ttlScopeName(message.ttl),
      receivedAt: message.receivedAt,
      order: message.order,
      history: message.history ?? false,
    }),
  );
}

function clock(ts: number): string {
  return new Date(ts).toTimeString().slice(0, 8);
}

/** Continuation lines start here: under the text, never where a clock (a new message) starts. */
const CONTINUATION = ' '.repeat('00:00:00 '.length) + '| ';

/**
 * A message as the terminal shows it. Everything from the wire (nickname, text, source) is
 * escaped; a multi-line text continues on indented lines, so no line of it can pass for another
 * message. `prefix` (e.g. "(earlier) ") comes first on the header line.
 */
export function messageLine(message: ChatMessage, prefix = ''): string {
  const indent = ' '.repeat(prefix.length) + CONTINUATION;
  if (message.kind === 'raw') return `${prefix}${clock(message.receivedAt)} raw ${terminalSafe(message.src)}: ${indentedBody(message.text, indent)}`;
  const nick = terminalSafe(message.nick ?? '?');
  const who = message.own ? `${nick} (you)` : nick;
  return `${prefix}${clock(message.ts)} <${who}> [ttl ${message.ttl}] ${indentedBody(message.text, indent)}`;
}

export function roomLine(room: RoomSnapshot, verb = 'listening on'): string {
  const via = room.interfaces.map((i) => `${i.name} ${i.address}`).join(', ');
  const lock = room.encrypted ? `, encrypted, key ${room.keyId ?? '?'}` : '';
  return `mcchat: ${verb} ${room.group}:${room.port} via ${via} (ttl ${room.ttl}, loopback ${room.loopback ? 'on' : 'off'}${lock})`;
}

export function peerLine(peer: PeerInfo): string {
  const nick = terminalSafe(peer.nick);
  const flags = `${peer.verified ? ', verified' : ''}${peer.impersonates ? `, NOT THE FIRST "${nick}" SEEN: maybe an impostor` : ''}`;
  const app = peer.app ? `, ${terminalSafe(peer.app)}` : '';
  return `${nick} [${peer.fingerprint}] at ${peer.addresses.map(terminalSafe).join(', ')}${app}${flags}`;
}

type CounterGroup = 'traffic' | 'reliability' | 'security';

/**
 * Every counter the core keeps, with the group and words it is shown under. A counter added to
 * the core without a label here is still shown (under its own name, in traffic), and the test
 * that checks every counter has a label fails.
 */
export const COUNTER_LABELS: Readonly<Record<string, readonly [CounterGroup, string]>> = {
  datagramsIn: ['traffic', 'datagrams in'],
  bytesIn: ['traffic', 'bytes in'],
  datagramsOut: ['traffic', 'datagrams out'],
  bytesOut: ['traffic', 'bytes out'],
  chatFramesIn: ['traffic', 'chat frames'],
  fragmentsIn: ['traffic', 'fragments'],
  chatMessagesIn: ['traffic', 'messages shown'],
  rawDatagrams: ['traffic', 'raw'],
  presenceIn: ['traffic', 'presence'],
  controlIn: ['traffic', 'control'],
  ownEchoes: ['traffic', 'own echoes'],
  sendErrors: ['traffic', 'send errors'],
  duplicates: ['reliability', 'duplicates'],
  lossDetected: ['reliability', 'lost'],
  lossRecovered: ['reliability', 'recovered'],
  lossGivenUp: ['reliability', 'given up'],
  lossOutOfScope: ['reliability', 'out of scope'],
  lossRecoveredLate: ['reliability', 'arrived after given up'],
  nacksSent: ['reliability', 'NACKs sent'],
  repairsSent: ['reliability', 'repairs sent'],
  historySent: ['reliability', 'history sent'],
  answersLimited: ['reliability', 'answers held back'],
  incompleteExpired: ['reliability', 'incomplete expired'],
  floodDropped: ['security', 'flood dropped'],
  invalidFrames: ['security', 'invalid'],
  unsupportedVersion: ['security', 'other versions'],
  unsigned: ['security', 'unsigned'],
  unknownSender: ['security', 'unknown sender'],
  badSignature: ['security', 'bad signature'],
  replayed: ['security', 'replayed'],
  encryptedNoKey: ['security', 'encrypted without key'],
  wrongKey: ['security', 'wrong key'],
  decryptFailed: ['security', 'decrypt failed'],
  plainInPrivate: ['security', 'plain in private'],
};

const GROUPS: readonly CounterGroup[] = ['traffic', 'reliability', 'security'];

/** Every counter, one line per group: "traffic:     datagrams in 12, bytes in 3,456, …". */
export function countersLines(c: RoomCounters): string[] {
  const width = Math.max(...GROUPS.map((g) => g.length)) + 2;
  const values = c as unknown as Readonly<Record<string, number>>;
  const labelled = Object.keys(COUNTER_LABELS).filter((key) => key in values);
  const unlabelled = Object.keys(values).filter((key) => !(key in COUNTER_LABELS));
  return GROUPS.map((group) => {
    const items = labelled
      .filter((key) => COUNTER_LABELS[key]?.[0] === group)
      .map((key) => [COUNTER_LABELS[key]?.[1] ?? key, key] as const)
      .concat(group === 'traffic' ? unlabelled.map((key) => [key, key] as const) : [])
      .map(([label, key]) => `${label} ${(values[key] ?? 0).toLocaleString('en-US')}`);
    return `${`${group}:`.padEnd(width)}${items.join(', ')}`;
  });
}
