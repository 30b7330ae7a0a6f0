import type { RoomCounters } from '../../shared/events.js';
import { formatNumber } from '../lib/format.js';

// Grouped as the core counts: every datagram in lands in exactly one of the received categories.
const LABELS: Record<keyof RoomCounters, string> = {
  datagramsIn: 'Datagrams in',
  bytesIn: 'Bytes in',
  datagramsOut: 'Datagrams out',
  bytesOut: 'Bytes out',
  chatMessagesIn: 'Chat messages shown',
  chatFramesIn: 'Chat frames in',
  fragmentsIn: 'Fragments (of chat frames)',
  presenceIn: 'Presence announcements',
  rawDatagrams: 'Raw datagrams',
  invalidFrames: 'Invalid frames',
  unsupportedVersion: 'Unsupported version',
  duplicates: 'Duplicates dropped',
  ownEchoes: 'Own echoes dropped',
  incompleteExpired: 'Incomplete, expired',
  sendErrors: 'Send errors',
  controlIn: 'Repair and history requests',
  floodDropped: 'Dropped (flood limit)',
  lossDetected: 'Lost datagrams detected',
  lossRecovered: 'Lost, then repaired',
  lossGivenUp: 'Lost for good',
  lossOutOfScope: 'Missed, narrower TTL (not for us)',
  lossRecoveredLate: 'Arrived after given up',
  nacksSent: 'Repair requests sent',
  repairsSent: 'Repairs sent',
  answersLimited: 'Answers held back (budget)',
  historySent: 'History messages sent',
  unsigned: 'Unsigned (not shown)',
  badSignature: 'Bad signature',
  replayed: 'Replayed',
  encryptedNoKey: 'Encrypted, no passphrase here',
  wrongKey: 'Encrypted, another passphrase',
  decryptFailed: 'Could not be decrypted',
  plainInPrivate: 'Unencrypted in a private room',
};

// Counts that mean something is wrong on the wire (or someone is up to something): forged,
// replayed or tampered frames, and traffic under another passphrase or none.
const ALERTS: ReadonlySet<keyof RoomCounters> = new Set([
  'invalidFrames',
  'sendErrors',
  'floodDropped',
  'lossGivenUp',
  'unsigned',
  'badSignature',
  'replayed',
  'encryptedNoKey',
  'wrongKey',
  'decryptFailed',
  'plainInPrivate',
]);

/** What the wire did in this room, in the spirit of mcjoin's counters. */
export function CountersList({ counters }: { counters: RoomCounters }) {
  return (
    <dl className="counters">
      {(Object.keys(LABELS) as (keyof RoomCounters)[]).map((key) => (
        <div key={key} className={`counters__item${counters[key] > 0 && ALERTS.has(key) ? ' counters__item--alert' : ''}`}>
          <dt>{LABELS[key]}</dt>
          <dd>{formatNumber(counters[key] ?? 0)}</dd>
        </div>
      ))}
    </dl>
  );
}
