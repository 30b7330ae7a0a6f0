/**
 * Trust on first use, remembered across restarts: the first key (peer id) seen with a nickname
 * owns that nickname, so another key arriving with it later is flagged as an impersonation.
 * The user can mark a peer verified after comparing fingerprints out of band. The store also
 * keeps each peer's newest session start, so the replay guard still refuses playback of an
 * earlier run after we restart.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { BoundedMap } from './bounded-map.js';
import { errorCode, errorMessage, moveAside, writePrivateFile } from './private-file.js';
import { nicknameSkeleton, nicknameSkeletons } from '../../../shared/nickname-skeleton.js';

export const MAX_TRUSTED_PEERS = 10_000;
/** Nicknames one peer may own: enough for honest renames, too few to squat a class list. */
export const MAX_NICKNAMES_PER_PEER = 8;
/** Changes are written at most this often; `flush` writes at once. */
export const TRUST_WRITE_DELAY_MS = 1_000;
/** lastSeen only matters for choosing whom to forget first: minute precision on disk is plenty. */
const LAST_SEEN_PERSIST_STEP_MS = 60_000;
const TRUST_FILE_VERSION = 1;

const peerIdSchema = z.string().regex(/^[0-9a-f]{16}$/);
const timeSchema = z.number().int();

/** Longer nicknames are cut to this when stored (the protocol allows 32 characters). */
const MAX_STORED_NICK = 256;

const peerSchema = z.object({
  peerId: peerIdSchema,
  nick: z.string().max(MAX_STORED_NICK),
  firstSeen: timeSchema,
  lastSeen: timeSchema,
  verified: z.boolean(),
  /** Nickname keys (see `nicknameKey`) this peer was the first to use. */
  owns: z.array(z.string().max(MAX_STORED_NICK)).max(MAX_NICKNAMES_PER_PEER),
});

// Arrays rather than objects keyed by peer id or nickname: a nickname of "__proto__" is data.
export const trustFileSchema = z.object({
  version: z.literal(TRUST_FILE_VERSION),
  peers: z.array(peerSchema).max(MAX_TRUSTED_PEERS),
  sessions: z.array(z.tuple([peerIdSchema, timeSchema])).max(MAX_TRUSTED_PEERS),
  /**
   * Public keys by peer id (protocol v2: chat frames carry none), so a history answer after a
   * restart can still name its senders' keys. Optional: files of earlier versions have none.
   */
  keys: z
    .array(z.tuple([peerIdSchema, z.string().regex(/^[A-Za-z0-9_-]{43}$/)]))
    .max(MAX_TRUSTED_PEERS)
    .optional(),
});

type TrustFile = z.output<typeof trustFileSchema>;

export interface TrustedPeer {
  readonly peerId: string;
  /** The nickname it used last. */
  readonly nick: string;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly verified: boolean;
}

export interface Sighting {
  /** Never seen before (in this store's memory). */
  readonly firstTime: boolean;
  readonly verified: boolean;
  /** The peer that owns this nickname, when that is another peer: show it loudly. */
  readonly impersonates: string | null;
}

interface PeerRecord {
  nick: string;
  readonly firstSeen: number;
  lastSeen: number;
  lastSeenSaved: number;
  verified: boolean;
  readonly owns: string[];
}

/**
 * Nicknames compare by what they look like: case-insensitively, after NFKC ("ａｌｉｃｅ" in
 * fullwidth letters, ligatures), without invisible characters, and by their confusables
 * skeleton (Cyrillic "а" for Latin "a"): the point is to catch someone passing for another.
 */
export function nicknameKey(nick: string): string {
  return nicknameSkeleton(nick).slice(0, MAX_STORED_NICK);
}

/** Every key a nickname is known by (nicknameSkeletons): one owner per key. */
export function nicknameKeys(nick: string): string[] {
  return nicknameSkeletons(nick).map((key) => key.slice(0, MAX_STORED_NICK));
}

export class TrustStore {
  /** Least recently seen first: the order in which peers are forgotten when the store is full. */
  private readonly peers = new Map<string, PeerRecord>();
  private readonly owners = new Map<string, string>();
  private readonly sessions = new BoundedMap<string, number>(MAX_TRUSTED_PEERS);
  /** base64url public keys; whoever reads them checks that each hashes to its peer id. */
  private readonly keys = new BoundedMap<string, string>(MAX_TRUSTED_PEERS);
  private dirty = false;
  private timer: TimerHandle | null = null;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    /** Something the user should know about the file (it was damaged); null normally. */
    readonly notice: string | null,
    /** False when a damaged file could not be moved aside: we never overwrite it then. */
    private readonly writable: boolean,
    /** Times the delayed write; a fake clock lets a test say when "a second later" is. */
    private readonly clock: Clock,
  ) {}

  /** Opens the store in `file` (missing → empty). Never throws for what the file contains. */
  static async open(file: string, clock: Clock = systemClock): Promise<TrustStore> {
    let text: string | null = null;
    let problem: string | null = null;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      // ENOENT/ENOTDIR: no file yet (or no folder yet): an empty store, nothing to keep aside.
      const code = errorCode(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') problem = `could not be read (${errorMessage(error)})`;
    }
    let data: TrustFile | null = null;
    if (text !== null) {
      data = parse(text);
      if (!data) problem = 'was damaged';
    }
    if (problem === null) {
      const store = new TrustStore(file, null, true, clock);
      if (data) store.load(data);
      return store;
    }
    try {
      const aside = await moveAside(file, 'corrupt', clock.now());
      return new TrustStore(file, `The list of known peers ${problem}; it was kept as ${aside} and a new one was started: every peer counts as new again.`, true, clock);
    } catch (error) {
      return new TrustStore(
        file,
        `The list of known peers ${problem} and could not be moved aside (${errorMessage(error)}): every peer counts as new, and nothing will be saved.`,
        false,
        clock,
      );
    }
  }

  /** Records that `peerId` spoke as `nick` at `now`, and says what the user should be told. */
  see(peerId: string, rawNick: string, rawNow: number): Sighting {
    const keys = nicknameKeys(rawNick);
    // Another peer owning any of its skeletons owns the name; else the first owner found.
    const owners = keys.map((key) => this.owners.get(key));
    const owner = owners.find((o) => o !== undefined && o !== peerId) ?? owners.find((o) => o !== undefined);
    if (!peerIdSchema.safeParse(peerId).success) {
      // Not a key-bound peer id: nothing to remember (a file holding it would not load again).
      return { firstTime: true, verified: false, impersonates: owner ?? null };
    }
    // Whatever the caller passes, what is stored must pass the schema when it is read back.
    const nick = rawNick.slice(0, MAX_STORED_NICK);
    const now = Number.isFinite(rawNow) ? Math.trunc(rawNow) : 0;
    let record = this.peers.get(peerId);
    const firstTime = record === undefined;
    if (record === undefined) {
      record = { nick, firstSeen: now, lastSeen: now, lastSeenSaved: now, verified: false, owns: [] };
      this.makeRoom();
      this.dirty = true;
    } else {
      this.peers.delete(peerId); // re-inserted below: most recently seen goes last
      if (record.nick !== nick) {
        record.nick = nick;
        this.dirty = true;
      }
      if (now > record.lastSeen) record.lastSeen = now;
      if (record.lastSeen - record.lastSeenSaved >= LAST_SEEN_PERSIST_STEP_MS) {
        record.lastSeenSaved = record.lastSeen;
        this.dirty = true;
      }
    }
    this.peers.set(peerId, record);

    if (owner === undefined || owner === peerId) {
      for (const key of keys) {
        if (this.owners.has(key) || record.owns.length >= MAX_NICKNAMES_PER_PEER) continue;
        this.owners.set(key, peerId);
        record.owns.push(key);
        this.dirty = true;
      }
    }
    if (this.dirty) this.scheduleWrite();
    return { firstTime, verified: record.verified, impersonates: owner !== undefined && owner !== peerId ? owner : null };
  }

  /** Marks a peer verified (fingerprint compared) or not. Returns false for a peer never seen. */
  setVerified(peerId: string, verified: boolean): boolean {
    const record = this.peers.get(peerId);
    if (!record) return false;
    if (record.verified !== verified) {
      record.verified = verified;
      this.dirty = true;
      this.scheduleWrite();
    }
    return true;
  }

  isVerified(peerId: string): boolean {
    return this.peers.get(peerId)?.verified === true;
  }

  get(peerId: string): TrustedPeer | null {
    const r = this.peers.get(peerId);
    return r ? { peerId, nick: r.nick, firstSeen: r.firstSeen, lastSeen: r.lastSeen, verified: r.verified } : null;
  }

  /** The peer that first used this nickname, if any. */
  ownerOf(nick: string): string | null {
    for (const key of nicknameKeys(nick)) {
      const owner = this.owners.get(key);
      if (owner !== undefined) return owner;
    }
    return null;
  }

  get size(): number {
    return this.peers.size;
  }

  /** Newest session start per peer: the seed of a ReplayGuard. */
  sessionStarts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [peerId, start] of this.sessions) {
      Object.defineProperty(out, peerId, { value: start, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  /** Remembers a peer's session start if it is newer than the one known. */
  noteSession(peerId: string, start: number): void {
    if (!peerIdSchema.safeParse(peerId).success || !Number.isSafeInteger(start)) return;
    const known = this.sessions.peek(peerId);
    if (known !== undefined && known >= start) return;
    this.sessions.set(peerId, start);
    this.dirty = true;
    this.scheduleWrite();
  }

  /** Public keys kept from earlier runs, as [peer id, base64url key]. */
  knownKeys(): [string, string][] {
    return [...this.keys];
  }

  /** Remembers a peer's public key (base64url), the newest known last. */
  noteKey(peerId: string, key: string): void {
    if (!peerIdSchema.safeParse(peerId).success || !/^[A-Za-z0-9_-]{43}$/.test(key)) return;
    if (this.keys.get(peerId) === key) return;
    this.keys.set(peerId, key);
    this.dirty = true;
    this.scheduleWrite();
  }

  /** Writes pending changes now; rejects when the write fails (the changes stay pending). */
  flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    const run = this.writing.then(() => this.writeIfDirty());
    this.writing = run.catch(() => undefined);
    return run;
  }

  private scheduleWrite(): void {
    if (this.timer || !this.writable) return;
    // The system clock's timers do not keep the process alive on their own.
    this.timer = this.clock.after(TRUST_WRITE_DELAY_MS, () => {
      this.timer = null;
      // A failed background write stays dirty and is retried with the next change or flush.
      this.flush().catch(() => undefined);
    });
  }

  private async writeIfDirty(): Promise<void> {
    if (!this.dirty || !this.writable) return;
    this.dirty = false;
    try {
      await writePrivateFile(this.file, `${JSON.stringify(this.snapshot())}\n`);
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }

  /** Forgets the least recently seen unverified peer when full (verified ones only if all are). */
  private makeRoom(): void {
    if (this.peers.size < MAX_TRUSTED_PEERS) return;
    let victim: string | undefined;
    for (const [peerId, record] of this.peers) {
      if (!record.verified) {
        victim = peerId;
        break;
      }
    }
    victim ??= this.peers.keys().next().value;
    if (victim !== undefined) this.forget(victim);
  }

  private forget(peerId: string): void {
    const record = this.peers.get(peerId);
    if (!record) return;
    for (const key of record.owns) {
      if (this.owners.get(key) === peerId) this.owners.delete(key);
    }
    this.peers.delete(peerId);
  }

  private snapshot(): TrustFile {
    return {
      version: TRUST_FILE_VERSION,
      peers: [...this.peers].map(([peerId, r]) => ({ peerId, nick: r.nick, firstSeen: r.firstSeen, lastSeen: r.lastSeen, verified: r.verified, owns: r.owns })),
      sessions: [...this.sessions],
      keys: [...this.keys],
    };
  }

  private load(data: TrustFile): void {
    // Insert least recently seen first, which restores the order in which peers are forgotten.
    for (const p of [...data.peers].sort((a, b) => a.lastSeen - b.lastSeen)) {
      this.peers.set(p.peerId, { nick: p.nick, firstSeen: p.firstSeen, lastSeen: p.lastSeen, lastSeenSaved: p.lastSeen, verified: p.verified, owns: [] });
    }
    // A hand-edited file could give one nickname two owners: the one seen first keeps it.
    for (const p of [...data.peers].sort((a, b) => a.firstSeen - b.firstSeen)) {
      const record = this.peers.get(p.peerId);
      // Keys saved by an older version compared less: bring them to today's skeleton.
      for (const key of p.owns.flatMap(nicknameKeys)) {
        if (record && !this.owners.has(key) && record.owns.length < MAX_NICKNAMES_PER_PEER) {
          this.owners.set(key, p.peerId);
          record.owns.push(key);
        }
      }
    }
    for (const [peerId, start] of data.sessions) this.sessions.set(peerId, start);
    for (const [peerId, key] of data.keys ?? []) this.keys.set(peerId, key);
  }
}

function parse(text: string): TrustFile | null {
  try {
    const result = trustFileSchema.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}
