import { createHash } from 'node:crypto';
import type { RoomCounters } from '../../shared/events.js';
import { decodeDatagram, decodeInner, encodeFrame, MAX_HIST_KEYS, splitChat } from '../../shared/protocol/codec.js';
import { MAX_DATAGRAM_BYTES, PUBLIC_KEY_TEXT_CHARS } from '../../shared/protocol/constants.js';
import { introduces, nonceOf, sealedFrame, sealedReserve, signedFrame, signedReserve, toBase64Url, type FrameSigner } from '../../shared/protocol/envelope.js';
import type { ChatHeader, EncHeader, FrameHeader } from '../../shared/protocol/frame.js';
import { peerIdOf, verifySignature, type Identity } from './crypto/identity.js';
import type { ReplayGuard } from './crypto/replay-guard.js';
import type { RoomKey } from './crypto/room-key.js';
import type { Admission } from './admission.js';
import { RecentSet } from './recent-set.js';

/** A counter that says why a datagram was not let through. */
export type RefusedBy = keyof Pick<
  RoomCounters,
  'floodDropped' | 'invalidFrames' | 'unsupportedVersion' | 'ownEchoes' | 'duplicates' | 'unknownSender' | 'badSignature' | 'replayed' | 'encryptedNoKey' | 'wrongKey' | 'decryptFailed' | 'plainInPrivate'
>;

/** Two copies of one datagram (two interfaces, a duplicating switch) arrive within this. */
const COPY_WINDOW_MS = 2_000;
/**
 * A datagram whose signature failed is refused without verifying it again for this long: a
 * forged frame built once and resent forever costs one Ed25519 verification, not one per copy.
 */
const FAILED_SIGNATURE_MS = 10 * 60_000;
const FAILED_SIGNATURE_MAX = 10_000;

export type GateResult =
  | { readonly kind: 'raw'; readonly text: string }
  | {
      readonly kind: 'frame';
      /** The frame, with the envelope's session (a sealed frame's from its outer header). */
      readonly header: GatedHeader;
      readonly body: string;
      /**
       * 'new' unless the replay guard has seen this datagram before: a 'copy' arrived moments
       * ago (two interfaces, a duplicating network), a 'replay' is older (a history answer or a
       * repair resent byte for byte, or an attacker). A chat message may still be new to us and
       * is judged by its id; any other frame seen before is refused.
       */
      readonly seen: 'new' | 'copy' | 'replay';
    }
  | {
      readonly kind: 'refused';
      readonly by: RefusedBy;
      /**
       * A chat frame refused because its sender's key is unknown: what it claims to be (unverified).
       * Once the sender's hello introduces it, these seqs are asked for again (RoomRepair.unheard).
       */
      readonly claim?: UnheardClaim;
    };

export interface UnheardClaim {
  readonly peer: string;
  readonly sess: string;
  readonly seq: number;
}

/** A frame that passed the gate always has its sender's session. */
export type GatedHeader = Exclude<FrameHeader, EncHeader> & { readonly sess: string };

/** How long after joining our chat frames carry our key and session start (see introducing()). */
export const INTRODUCING_CHATS_MS = 2_000;

export interface FrameGateDeps {
  readonly identity: Identity;
  readonly replay: ReplayGuard;
  /** The passphrase room's key; null for a plain room. */
  readonly key: RoomKey | null;
  /** This room join's session and when it started. */
  readonly sess: string;
  readonly startedAt: number;
  readonly now: () => number;
  /** Flood limits by source and by key (admission.ts); none when absent (tests of the gate alone). */
  readonly admission?: Admission;
  /**
   * Every frame introduces us (carries `st` and `pk`), chat included: a one-shot sender says no
   * hello before its message, so receivers would otherwise not know its key.
   */
  readonly introduceAlways?: boolean;
}

/**
 * Every datagram of a room passes here, both ways. Outgoing: signed, and sealed in a passphrase
 * room. Incoming, cheapest checks first: decode, own echo, the key (carried and bound to the peer
 * id, or known from an introduction: else `unknownSender`, never verified), replay pre-check,
 * decrypt (one AES-GCM pass: a stranger without the key costs little), Ed25519 verify, then the
 * inner frame's schema.
 */
export class FrameGate {
  private counter = 0;
  private readonly peerIds = new Map<string, string>();
  /** Datagrams accepted in the last moments: a second copy of one is a duplicate, not a replay. */
  private readonly recentCopies = new RecentSet(COPY_WINDOW_MS, 50_000);
  private readonly failedSignatures = new RecentSet(FAILED_SIGNATURE_MS, FAILED_SIGNATURE_MAX);
  private readonly signer: FrameSigner;
  private readonly publicKeyText: string;

  constructor(private readonly deps: FrameGateDeps) {
    this.publicKeyText = toBase64Url(deps.identity.publicKey);
    this.signer = {
      envelope: (introduce) => ({ sess: deps.sess, n: this.nextCounter(), ...(introduce ? { st: deps.startedAt, pk: this.publicKeyText } : {}) }),
      sign: (data) => deps.identity.sign(data),
    };
  }

  get encrypted(): boolean {
    return this.deps.key !== null;
  }

  get keyId(): string | null {
    return this.deps.key?.id ?? null;
  }

  /** One datagram for a control frame (or a chat part); `body`: a chat's text, a hist frame's keys. */
  outgoing(header: FrameHeader, body: Uint8Array = new Uint8Array(0)): Uint8Array {
    const key = this.deps.key;
    const introduce = this.introducing(header.t);
    if (!key) return signedFrame(header, body, this.signer, introduce);
    return sealedFrame(encodeFrame(header, body), this.deps.identity.peerId, this.signer, { kid: key.id, seal: (nonce, aad, pt) => key.seal(nonce, aad, pt) }, introduce);
  }

  /** The datagrams of one chat message, fragmented to fit once signed (and sealed). */
  chat(header: Omit<ChatHeader, 't' | 'frag'>, text: string): Uint8Array[] {
    const introduce = this.introducing('chat');
    const reserve = this.deps.key ? sealedReserve(introduce) : signedReserve(introduce);
    return splitChat(header, text, reserve).map((part) => this.outgoing(part.header, part.body));
  }

  /**
   * Control frames that may reach strangers, every frame of a one-shot sender, and our chat in
   * the first seconds of a session: a receiver that lost our hello and sync (4 % of the time at
   * 20 % loss) refused a file piped into `mcchat chat` unverified, 300 lines at once, and the
   * repair after our next hello reached only the newest 256 (CI: 44 lines lost).
   */
  private introducing(t: string): boolean {
    return this.deps.introduceAlways === true || introduces(t) || (t === 'chat' && this.deps.now() - this.deps.startedAt < INTRODUCING_CHATS_MS);
  }

  /** How many public keys a `hist` frame of this room has room for (a sealed one has less). */
  histKeyRoom(): number {
    const probe = this.outgoing({ t: 'hist', peer: this.deps.identity.peerId, rid: 'f'.repeat(16), count: 500 });
    // outgoing() took a counter: harmless, counters only need to be unique.
    return Math.min(MAX_HIST_KEYS, Math.floor((MAX_DATAGRAM_BYTES - probe.length - 8) / PUBLIC_KEY_TEXT_CHARS));
  }

  /** `src` ("ip:port") pays for what is not a verified peer's own (admission.ts). */
  incoming(data: Uint8Array, src = ''): GateResult {
    const now = this.deps.now();
    // Size first: no frame of ours is larger (raw text from others may be, and is shown as such).
    if (data.length > MAX_DATAGRAM_BYTES && isFrame(data)) return this.junk('invalidFrames', src, now);
    const decoded = decodeDatagram(data);
    if (decoded.kind === 'rejected') return this.junk(decoded.reason === 'unsupported-version' ? 'unsupportedVersion' : 'invalidFrames', src, now);
    if (decoded.kind === 'raw') {
      if (this.deps.key) return this.junk('plainInPrivate', src, now);
      return this.admitJunk(src, now) ? decoded : refused('floodDropped');
    }
    const header = decoded.header;
    if (header.peer === this.deps.identity.peerId) return refused('ownEchoes');
    const signature = decoded.signature;
    // The decoder made sure every datagram has both.
    const sess = header.sess ?? '';
    const n = header.n ?? 0;
    const replay = this.deps.replay;
    // The key: carried (an introduction, bound to the peer id by its hash), or known from one.
    let publicKey = signature.publicKey;
    if (publicKey !== null) {
      if (this.peerIdOfKey(header.pk ?? '', publicKey) !== header.peer) return this.junk('badSignature', src, now);
    } else {
      publicKey = replay.keys.keyOf(header.peer) ?? null;
    }
    // An unknown sender is paid for by its source, like junk: it names a peer id it cannot prove.
    if (publicKey === null) {
      if (!this.admitJunk(src, now)) return refused('floodDropped');
    } else if (this.deps.admission && !this.deps.admission.admitUnverified(header.peer, src, now)) return refused('floodDropped');
    const st = header.st ?? replay.sessionStart(header.peer, sess);
    // A session we never heard introduced: only a chat frame may pass (judged by its message id,
    // as a resent one is): a history answer replays sessions long gone.
    const verdict = st === undefined ? 'unknown-session' : replay.check(header.peer, sess, st, n, now);

    let inner: { header: GatedHeader; body: string; keys: readonly Uint8Array[] } | null = null;
    if (decoded.kind === 'sealed') {
      const key = this.deps.key;
      if (!key) return refused('encryptedNoKey');
      if (decoded.header.kid !== key.id) return refused('wrongKey');
      const plain = key.open(nonceOf(sess, n), signature.aad, decoded.sealed);
      if (!plain) return refused('decryptFailed');
      const opened = decodeInner(plain);
      // The inner frame is the sender's own and unsigned: the outer signature covers it.
      if (opened.kind !== 'frame' || opened.header.peer !== header.peer) return refused('invalidFrames');
      inner = { header: { ...opened.header, sess }, body: opened.body, keys: opened.keys };
    } else {
      if (this.deps.key) return refused('plainInPrivate');
      inner = { header: { ...decoded.header, sess }, body: decoded.body, keys: decoded.keys };
    }
    const isChat = inner.header.t === 'chat';
    // Never verified: read only for its seq, so the sender's hello can get it repaired.
    if (publicKey === null) return { kind: 'refused', by: 'unknownSender', ...(inner.header.t === 'chat' ? { claim: { peer: header.peer, sess, seq: inner.header.seq } } : {}) };
    if (st === undefined && !isChat) return this.junk('unknownSender', src, now);
    const copyKey = `${header.peer}/${sess}/${n}`;
    // A control frame seen before is refused before the expensive part (Ed25519, ~100 us).
    if (verdict !== 'ok' && !isChat && !this.recentCopies.has(copyKey)) return refused('replayed');
    // Keyed by the whole datagram, not its signature: a forgery reusing a real frame's signature
    // must not get that real frame refused when it comes again as a repair.
    if (this.failedSignatures.size > 0 && this.failedSignatures.has(digestOf(data))) return this.junk('badSignature', src, now);
    if (!verifySignature(publicKey, signature.signed, signature.signature)) {
      this.failedSignatures.checkAndAdd(digestOf(data), now);
      this.deps.admission?.failed(header.peer, src, now);
      return this.junk('badSignature', src, now);
    }
    let seen: 'new' | 'copy' | 'replay' = 'new';
    if (verdict === 'ok' && st !== undefined) {
      replay.accept(header.peer, sess, st, n, now);
      this.recentCopies.checkAndAdd(copyKey, now);
      if (signature.publicKey !== null) replay.keys.learn(header.peer, publicKey, now);
      if (inner.header.t === 'hist') this.learnKeys(inner.keys, now);
    } else {
      seen = verdict === 'replay' && this.recentCopies.checkAndAdd(copyKey, now) ? 'copy' : 'replay';
      if (!isChat) return refused(seen === 'copy' ? 'duplicates' : 'replayed');
    }
    return { kind: 'frame', header: inner.header, body: inner.body, seen };
  }

  /** A history answer's keys: the senders whose datagrams follow it carry none. Each names itself by its hash. */
  private learnKeys(keys: readonly Uint8Array[], now: number): void {
    for (const key of keys) this.deps.replay.keys.learn(this.peerIdOfKey(toBase64Url(key), key), key, now);
  }

  /** Anything that is not a well-signed frame of a peer is charged to its source address. */
  private admitJunk(src: string, now: number): boolean {
    return this.deps.admission?.admitJunk(src, now) ?? true;
  }

  /** Refused as `by`, or as a flood when the source is over its junk allowance. */
  private junk(by: RefusedBy, src: string, now: number): GateResult {
    return refused(this.admitJunk(src, now) ? by : 'floodDropped');
  }

  /** SHA-256 of a key once per key, not per datagram: a room hears the same few keys all day. */
  private peerIdOfKey(text: string, publicKey: Uint8Array): string {
    let id = this.peerIds.get(text);
    if (id === undefined) {
      id = peerIdOf(publicKey);
      if (this.peerIds.size >= 1024) this.peerIds.clear();
      this.peerIds.set(text, id);
    }
    return id;
  }

  private nextCounter(): number {
    // A counter that wrapped would reuse AES-GCM nonces: 2^32 datagrams (49 days at 1,000/s) end the session.
    if (this.counter > 0xffffffff) throw new Error('This room has sent 2^32 datagrams in one session: leave and join it again.');
    return this.counter++;
  }
}

const FRAME_START = [0x4d, 0x43, 0x43]; // "MCC"

function isFrame(data: Uint8Array): boolean {
  return FRAME_START.every((b, i) => data[i] === b);
}

function digestOf(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('base64');
}

function refused(by: RefusedBy): GateResult {
  return { kind: 'refused', by };
}
