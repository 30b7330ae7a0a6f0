import type { ChatErrorInfo, ChatWarning } from './errors.js';

/** A joined interface: where a room's membership and sends live. */
export interface InterfaceInfo {
  readonly name: string;
  readonly address: string;
}

export type MessageKind = 'chat' | 'raw';

/** One message as the UI shows it. Plain data: it crosses IPC and goes into `--json` output. */
export interface ChatMessage {
  readonly kind: MessageKind;
  readonly roomId: string;
  /** Unique within the room: the sender's message id for chat, a local id for raw datagrams. */
  readonly id: string;
  readonly text: string;
  /** Sender's nickname; null for raw datagrams. */
  readonly nick: string | null;
  /** Sender's random peer id; null for raw datagrams. */
  readonly peerId: string | null;
  /** Source "ip:port" of the (first) datagram; for own messages, the first local sending socket. */
  readonly src: string;
  /** TTL the sender declared it used; null for raw datagrams (a receiver cannot read the IP TTL). */
  readonly ttl: number | null;
  /** Sender's sequence number in this room; null for raw. */
  readonly seq: number | null;
  /** Sender's timestamp (ms since epoch) for chat; receive time for raw. */
  readonly ts: number;
  readonly receivedAt: number;
  readonly own: boolean;
  /** Datagrams this message was carried in (more than one when fragmented). */
  readonly fragments: number;
  /** Size on the wire, all fragments together. */
  readonly bytes: number;
  /**
   * Where the message belongs in the log: sorts like the room's hybrid logical clock, then the
   * sender. A repaired or late message takes its place by this key, not by arrival.
   */
  readonly order: string;
  /**
   * The sender's clock was this far ahead of ours (more than a minute, and no other peer's clock
   * agreed): ordered at its arrival instead of its stamp, and shown marked.
   */
  readonly clockAheadMs?: number;
  /** The interface it arrived on (ours: the first one it went out on), when known. */
  readonly iface?: string;
  /**
   * How a received chat message got here: live, by a repair we asked for, late (after it was
   * given up as lost), or as history (a newcomer's answer, from before we joined).
   */
  readonly via?: 'live' | 'repair' | 'late' | 'history';
  /** Shown, but its write to the room's history failed (a full disk): it will be missing after a restart. */
  readonly notSaved?: true;
  /**
   * Sent before this peer joined the room: a history answer or a page loaded from disk. Not
   * unread, not counted by `mcchat listen --count`.
   */
  readonly history?: true;
}

/**
 * One run of a sender's messages found missing at once, shown as a marker where the gap is in
 * the log and updated in place: asking (NACKs out), then repaired, lost, or partly both.
 */
export interface GapReport {
  /** Unique within the room. */
  readonly id: string;
  readonly peerId: string;
  readonly nick: string;
  /** The sender's seqs from `first` to `last`; `count` of them were missing. */
  readonly first: number;
  readonly last: number;
  readonly count: number;
  /** Arrived after all (by repair, or late by reordering). */
  readonly repaired: number;
  readonly lost: number;
  /** Sent with a lower TTL than reached us: most likely never meant for this host. */
  readonly outOfScope: number;
  /** NACK datagrams that named it, ours and others' heard. */
  readonly nacks: number;
  /** outOfScope: every one was sent with a narrower TTL than reached us (most likely not meant for us). */
  readonly state: 'asking' | 'repaired' | 'lost' | 'partly' | 'outOfScope';
  /** The order key of the message that revealed it ('' when an announcement did): the marker sits just before it. */
  readonly order: string;
}

/** Per peer, like mcjoin: what arrived from it and what the repair did about what did not. */
export interface PeerMeter {
  readonly peerId: string;
  /** Messages shown (live and history). */
  readonly received: number;
  /** Seqs found missing (each later repaired, reordered, lost or out of scope). */
  readonly gaps: number;
  /** Arrived after a NACK asked for them. */
  readonly repaired: number;
  /** Given up: never arrived. */
  readonly lost: number;
  /** Copies of messages already had (two interfaces, repairs meant for others, replays). */
  readonly duplicates: number;
  /** Arrived after a later one, before anyone asked. */
  readonly reordered: number;
  /** Arrived after being given up (shown late). */
  readonly late: number;
}

/** One TTL of a reach probe: the peers first reached with it (their distance in routers is ttl - 1). */
export interface ReachResult {
  readonly ttl: number;
  readonly peers: readonly { readonly peerId: string; readonly nick: string; readonly src: string }[];
}

/** A page of a room's stored history, oldest first. */
export interface HistoryPage {
  readonly messages: readonly ChatMessage[];
  /** Pass as `before` for the previous page; null at the start of the stored history. */
  readonly before: number | null;
}

export interface PeerInfo {
  readonly peerId: string;
  readonly nick: string;
  /** App name and version the peer announced; null until its first announcement. */
  readonly app: string | null;
  /** Source addresses it was heard from (a host with two NICs is still one peer). */
  readonly addresses: readonly string[];
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Sent faster than the room's per-source limit: its excess is being dropped. */
  readonly flooding: boolean;
  /** The peer id in groups of four: the short fingerprint of its signing key, to compare aloud. */
  readonly fingerprint: string;
  /** The user compared the fingerprint and marked it verified. */
  readonly verified: boolean;
  /** Another key was first seen with this nickname: the peer id that owns it. Show it loudly. */
  readonly impersonates: string | null;
}

/**
 * Per-room counters, in the spirit of mcjoin: what the wire did, not just what was shown.
 * Every received datagram lands in exactly one of floodDropped, rawDatagrams, invalidFrames,
 * unsupportedVersion, duplicates, ownEchoes, presenceIn, controlIn, chatFramesIn, unsigned,
 * unknownSender, badSignature, replayed, encryptedNoKey, wrongKey, decryptFailed and plainInPrivate, so they
 * add up to datagramsIn. chatMessagesIn counts messages shown; fragmentsIn is part of chatFramesIn.
 */
export interface RoomCounters {
  datagramsIn: number;
  bytesIn: number;
  datagramsOut: number;
  bytesOut: number;
  chatFramesIn: number;
  chatMessagesIn: number;
  rawDatagrams: number;
  presenceIn: number;
  invalidFrames: number;
  unsupportedVersion: number;
  duplicates: number;
  ownEchoes: number;
  fragmentsIn: number;
  incompleteExpired: number;
  sendErrors: number;
  /** NACK, history request and history answer frames. */
  controlIn: number;
  /** Dropped by the per-source rate limit before any decoding. */
  floodDropped: number;
  /** Loss repair: gaps found in senders' sequences, repaired, given up. */
  lossDetected: number;
  lossRecovered: number;
  lossGivenUp: number;
  /** Gaps the sender said had a narrower scope (lower TTL) than what reached us: closed quietly. */
  lossOutOfScope: number;
  /** Given up, then arrived after all and shown late. */
  lossRecoveredLate: number;
  nacksSent: number;
  repairsSent: number;
  /**
   * Datagrams of repairs and history answers not sent: the room's answer budget (1 MiB per 10 s)
   * was spent, or a history answer reached its 256 KiB. Others' requests cannot make us send more.
   */
  answersLimited: number;
  /** Messages resent to newcomers who asked for history. */
  historySent: number;
  /** v1.x only: frames without a signature. Since v2 every frame is signed and v1 counts as unsupportedVersion, so it stays 0. */
  unsigned: number;
  /**
   * v2: a frame without a key from a peer we know no key for, or a control frame of a session we
   * never heard introduced: refused unverified (its hello's `next` gets it repaired later).
   */
  unknownSender: number;
  /** A signature that does not verify, or a key that does not match the peer id. */
  badSignature: number;
  /** Seen before (replay window, or a session older than the peer's newest). */
  replayed: number;
  /** Encrypted frames in a room where we have no passphrase. */
  encryptedNoKey: number;
  /** Encrypted under another passphrase than ours. */
  wrongKey: number;
  /** Our key id but the ciphertext or its header was changed. */
  decryptFailed: number;
  /** Unencrypted datagrams (frames or raw text) in a passphrase room: not shown. */
  plainInPrivate: number;
}

export function emptyCounters(): RoomCounters {
  return {
    datagramsIn: 0,
    bytesIn: 0,
    datagramsOut: 0,
    bytesOut: 0,
    chatFramesIn: 0,
    chatMessagesIn: 0,
    rawDatagrams: 0,
    presenceIn: 0,
    invalidFrames: 0,
    unsupportedVersion: 0,
    duplicates: 0,
    ownEchoes: 0,
    fragmentsIn: 0,
    incompleteExpired: 0,
    sendErrors: 0,
    controlIn: 0,
    floodDropped: 0,
    lossDetected: 0,
    lossRecovered: 0,
    lossGivenUp: 0,
    lossOutOfScope: 0,
    lossRecoveredLate: 0,
    nacksSent: 0,
    repairsSent: 0,
    answersLimited: 0,
    historySent: 0,
    unsigned: 0,
    unknownSender: 0,
    badSignature: 0,
    replayed: 0,
    encryptedNoKey: 0,
    wrongKey: 0,
    decryptFailed: 0,
    plainInPrivate: 0,
  };
}

/**
 * 'reconnecting': the network changed or went away; the room rejoins on its own when it can.
 * 'leaving': asked to leave, it stays a moment to answer repairs of what it sent (no new messages).
 */
export type RoomStatus = 'joining' | 'joined' | 'reconnecting' | 'leaving' | 'error' | 'left';

/** Everything the UI needs to draw a room's header and status bar. */
export interface RoomSnapshot {
  readonly roomId: string;
  readonly name: string;
  readonly group: string;
  readonly port: number;
  readonly ttl: number;
  readonly loopback: boolean;
  /** The interface the user pinned, if any. */
  readonly iface: string | null;
  readonly status: RoomStatus;
  readonly interfaces: readonly InterfaceInfo[];
  readonly warnings: readonly ChatWarning[];
  readonly error: ChatErrorInfo | null;
  /** False where the OS cannot filter by group (Windows binds 0.0.0.0). */
  readonly groupFiltered: boolean;
  /** A passphrase room: everything is encrypted; `keyId` names the key (not secret). */
  readonly encrypted: boolean;
  readonly keyId: string | null;
  /**
   * How the room takes part when it is not a full member: 'passive' sends nothing (so it cannot
   * probe), 'sender' is a one-shot sender. Absent: a member, which is how the window joins.
   */
  readonly mode?: 'passive' | 'sender';
}

export type CoreEvent =
  | { readonly type: 'message'; readonly message: ChatMessage }
  | { readonly type: 'room'; readonly room: RoomSnapshot }
  | { readonly type: 'peer-joined'; readonly roomId: string; readonly peer: PeerInfo }
  | { readonly type: 'peer-updated'; readonly roomId: string; readonly peer: PeerInfo }
  | { readonly type: 'peer-left'; readonly roomId: string; readonly peer: PeerInfo; readonly reason: 'bye' | 'timeout' }
  | { readonly type: 'counters'; readonly roomId: string; readonly counters: RoomCounters }
  /** A run of missing messages: a marker at its place in the log, updated in place. */
  | { readonly type: 'loss'; readonly roomId: string; readonly gap: GapReport }
  /** Per-peer meters that changed, at most once a second. */
  | { readonly type: 'meter'; readonly roomId: string; readonly peers: readonly PeerMeter[] }
  /** Messages of a sender that could not be recovered: shown in the log, never silently lost. */
  | { readonly type: 'gap'; readonly roomId: string; readonly peerId: string; readonly nick: string; readonly count: number }
  /** A source over the rate limit, at most once a second: what was dropped since the last report. */
  | { readonly type: 'flood'; readonly roomId: string; readonly src: string; readonly peerId: string | null; readonly nick: string | null; readonly dropped: number }
  /** A peer uses a nickname first seen with another key: maybe someone pretending to be them. */
  | { readonly type: 'impersonation'; readonly roomId: string; readonly peer: PeerInfo; readonly ownerPeerId: string }
  | {
      readonly type: 'error';
      readonly roomId: string | null;
      readonly error: ChatErrorInfo;
      /** For datagrams the room refused (another passphrase, unencrypted in a passphrase room): where they came from. */
      readonly sources?: readonly RefusalSource[];
      /** ...and how many came from other sources than those. */
      readonly moreSources?: number;
    };

/** A source address as seen (not an identity) and how many datagrams came from it. */
export interface RefusalSource {
  readonly src: string;
  readonly count: number;
}

export type CoreEventType = CoreEvent['type'];
