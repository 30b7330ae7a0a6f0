import type { RoomCounters } from '../../shared/events.js';

export type CounterGroup = 'traffic' | 'reliability' | 'security';

export const GROUP_TITLES: Readonly<Record<CounterGroup, string>> = {
  traffic: 'Traffic',
  reliability: 'Reliability',
  security: 'Security',
};

/**
 * Every counter the window shows, in the groups `mcchat listen --stats` prints them under
 * (electron/cli/output.ts; a test keeps the two in step). In a group, the core's order: every
 * datagram in lands in exactly one of the received categories.
 */
export const COUNTERS: Readonly<Record<keyof RoomCounters, readonly [CounterGroup, string]>> = {
  datagramsIn: ['traffic', 'Datagrams in'],
  bytesIn: ['traffic', 'Bytes in'],
  datagramsOut: ['traffic', 'Datagrams out'],
  bytesOut: ['traffic', 'Bytes out'],
  chatMessagesIn: ['traffic', 'Chat messages shown'],
  chatFramesIn: ['traffic', 'Chat frames in'],
  fragmentsIn: ['traffic', 'Fragments (of chat frames)'],
  presenceIn: ['traffic', 'Presence announcements'],
  rawDatagrams: ['traffic', 'Raw datagrams'],
  controlIn: ['traffic', 'Repair and history requests'],
  ownEchoes: ['traffic', 'Own echoes dropped'],
  sendErrors: ['traffic', 'Send errors'],
  duplicates: ['reliability', 'Duplicates dropped'],
  lossDetected: ['reliability', 'Lost datagrams detected'],
  lossRecovered: ['reliability', 'Lost, then repaired'],
  lossGivenUp: ['reliability', 'Lost for good'],
  lossOutOfScope: ['reliability', 'Missed, narrower TTL (not for us)'],
  lossRecoveredLate: ['reliability', 'Arrived after given up'],
  nacksSent: ['reliability', 'Repair requests sent'],
  repairsSent: ['reliability', 'Repairs sent'],
  historySent: ['reliability', 'History messages sent'],
  answersLimited: ['reliability', 'Answers held back (budget)'],
  incompleteExpired: ['reliability', 'Incomplete, expired'],
  floodDropped: ['security', 'Dropped (flood limit)'],
  invalidFrames: ['security', 'Invalid frames'],
  unsupportedVersion: ['security', 'Unsupported version'],
  unsigned: ['security', 'Unsigned (not shown)'],
  unknownSender: ['security', 'Unknown sender (no key yet)'],
  badSignature: ['security', 'Bad signature'],
  replayed: ['security', 'Replayed'],
  encryptedNoKey: ['security', 'Encrypted, no passphrase here'],
  wrongKey: ['security', 'Encrypted, another passphrase'],
  decryptFailed: ['security', 'Could not be decrypted'],
  plainInPrivate: ['security', 'Unencrypted in a private room'],
};

/**
 * Counts that mean something is wrong on the wire (or someone is up to something): forged,
 * replayed or tampered frames, and traffic under another passphrase or none.
 */
export const ALERTS: ReadonlySet<keyof RoomCounters> = new Set([
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

export const countersIn = (group: CounterGroup): (keyof RoomCounters)[] => (Object.keys(COUNTERS) as (keyof RoomCounters)[]).filter((key) => COUNTERS[key][0] === group);
