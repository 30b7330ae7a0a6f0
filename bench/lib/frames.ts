import { randomBytes } from 'node:crypto';
import { generateIdentity, type Identity } from '../../electron/core/crypto/identity.js';
import { ReplayGuard } from '../../electron/core/crypto/replay-guard.js';
import type { RoomKey } from '../../electron/core/crypto/room-key.js';
import { FrameGate, INTRODUCING_CHATS_MS } from '../../electron/core/frame-gate.js';
import { BENCH_TTL } from './endpoints.js';

/** A random 16-hex-digit id, the wire format of peer, session and message ids. */
export function hexId(): string {
  return randomBytes(8).toString('hex');
}

/** A fake peer: its own signing identity, as a real installation has. */
export interface FakePeer {
  readonly identity: Identity;
  readonly peer: string;
  readonly nick: string;
}

export function fakePeer(index: number): FakePeer {
  const identity = generateIdentity();
  return { identity, peer: identity.peerId, nick: `bench-peer-${index}` };
}

/**
 * One fake peer's chat frames in one room (a session and seq per room join, as the core has),
 * put on the wire exactly as the core does: through a FrameGate, so every datagram is signed
 * (and sealed, given a room key). Signing costs the sender ~35 us a datagram, which is why the
 * receive-floor figures run several sender processes.
 */
export class ChatFrameMaker {
  private readonly gate: FrameGate;
  private readonly sess = hexId();
  private readonly text: string;
  private count = 0;

  constructor(
    private readonly who: FakePeer,
    textBytes: number,
    key: RoomKey | null = null,
    /** Key and session start in every frame, as a one-shot sender does: for runs without hellos. */
    introduceAlways = false,
  ) {
    this.text = `message from ${who.nick} `.padEnd(textBytes, 'x').slice(0, Math.max(1, textBytes));
    // A member past its first seconds: chat frames of the first 2 s of a session carry the key too.
    const startedAt = Date.now() - INTRODUCING_CHATS_MS;
    this.gate = new FrameGate({ identity: who.identity, replay: new ReplayGuard(), key, sess: this.sess, startedAt, now: () => Date.now(), introduceAlways });
  }

  /** The seq the next frame will carry (what a hello announces as `next`). */
  get nextSeq(): number {
    return this.count;
  }

  /**
   * A fresh, signed datagram. It carries no key (protocol v2): the receiver must have heard this
   * peer's hello first (SenderConfig.hellos), else it counts every datagram as unknownSender.
   */
  next(now: number): Buffer {
    const seq = this.count++;
    const [frame] = this.gate.chat(
      { peer: this.who.peer, nick: this.who.nick, sess: this.sess, seq, ttl: BENCH_TTL, ts: now },
      this.text,
    );
    if (!frame) throw new Error('the gate returned no datagram');
    return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  }

  hello(): Buffer {
    const { peer, nick } = this.who;
    return Buffer.from(this.gate.outgoing({ t: 'hello', peer, nick, app: 'bench/1', ivl: 5_000, sess: this.sess, next: this.nextSeq }));
  }
}
