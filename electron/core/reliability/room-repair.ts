import type { GapReport } from '../../../shared/events.js';
import { histKeysBody } from '../../../shared/protocol/codec.js';
import type { FrameHeader, NackHeader } from '../../../shared/protocol/frame.js';
import type { Clock, TimerHandle } from '../clock.js';
import { AnswerBudget, type AnswerLimits } from './answer-budget.js';
import { LossDetector, type Arrival, type GapGivenUp, type LossTiming, type Position } from './loss-detector.js';
import { RecentLog, type LoggedMessage } from './recent-log.js';
import type { ScopeRun } from './scope-ledger.js';
import type { LossTally } from './gap-groups.js';
import { RepairBuffer } from './repair-buffer.js';
import { SyncResponder } from './sync-responder.js';

export interface RepairHost {
  readonly clock: Clock;
  readonly peerId: string;
  /** Our session: NACKs for an older one are not ours to answer. */
  readonly sess: string;
  readonly lossTiming?: LossTiming;
  /** The room's budget for answers to others (repairs and history); DEFAULT_ANSWER_LIMITS when absent. */
  readonly answerLimits?: AnswerLimits;
  /** A control frame as the room puts it on the wire (signed, sealed in a passphrase room); `body`: a hist frame's keys. */
  frame(header: FrameHeader, body?: Uint8Array): Uint8Array;
  /** A sender's public key when we know it (ours included): a history answer carries them. */
  keyOf(peer: string): Uint8Array | undefined;
  /** How many keys a hist frame has room for. */
  histKeyRoom(): number;
  /** Sends on the room's sockets (at `ttl`, else the room's TTL); failures are the host's to report. */
  send(datagrams: readonly Uint8Array[], ttl?: number): void;
  /** Sends and waits, for paced history answers; never rejects. */
  sendPaced(datagrams: readonly Uint8Array[], ttl?: number): Promise<void>;
  isJoined(): boolean;
  gaveUp(gap: GapGivenUp): void;
  /** Per-peer tallies of loss and repair, for the meter. */
  readonly tally?: LossTally;
  /** Markers of missing messages to put in the log, or to update where they are. */
  gapsChanged(reports: readonly GapReport[]): void;
  /** Repair traffic counters changed. */
  counted(what: 'nack' | 'history', n: number): void;
}

const REPAIR_TICK_MS = 20;
/**
 * Chat frames refused because their sender's key was unknown (v2: its introduction had not
 * reached us yet): the lowest seq per (peer, session), for this long, at most this many streams,
 * asked for once its hello arrives if within this many of its `next`. Unverified, so bounded:
 * a forger can make us ask a real sender for at most its last few messages, once.
 */
const UNHEARD_MS = 30_000;
const UNHEARD_MAX = 256;
const UNHEARD_SPAN = 64;
/** After the last flood drop from a peer, its holes are ignored this long. */
const FLOOD_MUTE_MS = 2_000;
/**
 * History answers are paced: this many datagrams per tick of HISTORY_PACE_MS. Small bursts: the
 * newcomer verifies and stores each on its main thread, and 40 at once stalled it ~16 ms.
 */
const HISTORY_CHUNK = 10;
const HISTORY_PACE_MS = 5;
/** Between the two passes of a history answer. */
const HISTORY_REPEAT_GAP_MS = 100;
/** What a newcomer can get from us: the last this many messages of the last day... */
const RECENT_MESSAGES = 500;
const RECENT_MAX_AGE_MS = 24 * 3600_000;
/** ...in at most this many bytes of datagrams (500 short messages; 30 of 8 KiB). */
export const HISTORY_ANSWER_MAX_BYTES = 256 * 1024;

/**
 * The TTL a message goes out with in a history answer. Our own: the TTL we gave it. Another
 * peer's: at most 1, since we cannot know how many routers it crossed to reach us, but our own
 * subnet is always inside its scope (we received it); a TTL 0 message stays on this host.
 */
export function relayTtl(message: { readonly ttl: number; readonly own: boolean }): number {
  return message.own ? message.ttl : Math.min(message.ttl, 1);
}

/**
 * One room's side of reliability: NACKs for what we miss, resends of what others miss, and
 * history answers for newcomers. The room feeds it what it sends and receives; it never touches
 * sockets itself.
 */
export class RoomRepair {
  private readonly loss: LossDetector;
  private readonly buffer = new RepairBuffer();
  private readonly recent = new RecentLog(RECENT_MESSAGES, RECENT_MAX_AGE_MS);
  private readonly sync: SyncResponder;
  /** Repairs and history answers together: what others' requests can make us send. */
  private readonly budget: AnswerBudget;
  private tick: TimerHandle | null = null;
  /** Datagrams left out of history answers by their size limit or the answer budget. */
  private historyLimited = 0;
  private readonly unheardClaims = new Map<string, { seq: number; at: number }>();
  /** When someone last asked us to resend: a leaving room waits until this is a while ago. */
  lastAskedAt = -Infinity;

  constructor(private readonly host: RepairHost) {
    this.loss = new LossDetector(host.lossTiming, Math.random, host.tally);
    this.budget = new AnswerBudget(host.clock.now(), host.answerLimits);
    this.sync = new SyncResponder(host.clock, (rid, max) => void this.answerHistory(rid, max));
  }

  /** Our own message, kept for resends and for newcomers. */
  sent(seq: number, key: string, datagrams: readonly Uint8Array[], ttl: number, now: number): void {
    this.buffer.remember(seq, datagrams, ttl, now);
    this.recent.add({ key, peer: this.host.peerId, datagrams, at: now, ttl, own: true });
  }

  /**
   * Someone's message: tracked for loss when it is live (not history), kept for newcomers.
   * Says how it arrived; `order` is its place in the log (a gap it reveals is shown before it).
   */
  received(
    message: { peer: string; sess: string | undefined; nick: string; seq: number; ttl: number; live: boolean; sk?: readonly ScopeRun[] | undefined },
    key: string,
    datagrams: readonly Uint8Array[],
    now: number,
    order = '',
  ): Arrival {
    let arrival: Arrival = message.live ? 'in-order' : 'historic';
    if (message.sess !== undefined) {
      if (message.live) arrival = this.loss.received(message.peer, message.sess, message.nick, message.seq, now, () => order);
      else this.loss.receivedHistoric(message.peer, message.sess, message.nick, message.seq, now);
      if (message.sk) this.loss.scoped(message.peer, message.sess, message.sk);
      this.schedule();
      this.reportGaps();
    }
    this.recent.add({ key, peer: message.peer, datagrams, at: now, ttl: message.ttl, own: false });
    return arrival;
  }

  /** Spends the room's answer budget on another kind of answer (a probe's); false when it is spent. */
  spend(bytes: number, now: number): boolean {
    return this.budget.take(bytes, now);
  }

  /** A recent message's datagrams as they were on the wire (ours or relayed), for the inspector. */
  datagramsOf(key: string): readonly Uint8Array[] | null {
    return this.recent.get(key)?.datagrams ?? null;
  }

  /** The sender's session already delivered this seq here (see LossDetector.alreadyHad). */
  alreadyHad(peer: string, sess: string, seq: number): boolean {
    return this.loss.alreadyHad(peer, sess, seq);
  }

  /** A message from the room's stored history, so we can answer newcomers after a restart. */
  restored(key: string, datagrams: readonly Uint8Array[], at: number, ttl: number, own: boolean): void {
    // Message keys are "<peer>/<id>".
    this.recent.add({ key, peer: key.slice(0, key.indexOf('/')), datagrams, at, ttl, own });
  }

  /** A chat frame refused before its sender introduced itself (FrameGate's claim). */
  unheard(claim: { readonly peer: string; readonly sess: string; readonly seq: number }, now: number): void {
    const key = `${claim.peer}/${claim.sess}`;
    const known = this.unheardClaims.get(key);
    if (known !== undefined && known.seq <= claim.seq && now - known.at < UNHEARD_MS) return;
    if (known === undefined && this.unheardClaims.size >= UNHEARD_MAX) this.unheardClaims.delete(this.unheardClaims.keys().next().value ?? '');
    this.unheardClaims.set(key, { seq: claim.seq, at: now });
  }

  /** `young`: the session began after we joined, so everything it sent was meant for us live. */
  heardAnnouncement(peer: string, sess: string, nick: string, next: number, sk: readonly ScopeRun[] | undefined, young: boolean, now: number, position?: Position): void {
    const claim = this.unheardClaims.get(`${peer}/${sess}`);
    if (claim !== undefined) {
      this.unheardClaims.delete(`${peer}/${sess}`);
      // Start the stream where the refused messages began: the lead below then asks for them.
      if (now - claim.at < UNHEARD_MS && claim.seq < next && next - claim.seq <= UNHEARD_SPAN) this.loss.lead(peer, sess, nick, claim.seq, now);
    }
    this.loss.lead(peer, sess, nick, next, now, young, position);
    if (sk) this.loss.scoped(peer, sess, sk);
    this.schedule();
  }

  heardNack(nack: NackHeader, now: number): void {
    if (nack.to === this.host.peerId && nack.toSess === this.host.sess) {
      this.lastAskedAt = now;
      // Each message at the TTL it was first sent with, whatever the room's TTL is now.
      for (const repair of this.buffer.repairsFor(nack.seqs, now, this.budget)) this.host.send(repair.datagrams, repair.ttl);
    } else {
      this.loss.heardNack(nack.to, nack.toSess, nack.seqs, now);
      this.reportGaps();
    }
  }

  heardSync(rid: string, max: number): void {
    if (this.recent.size > 0) this.sync.requested(rid, max);
  }

  heardHistoryAnswer(rid: string): void {
    this.sync.answeredByOther(rid);
  }

  /** We are dropping `peer`'s datagrams (flood limit): the holes are ours, do not NACK them. */
  dropping(peer: string, now: number): void {
    this.loss.mute(peer, now, now + FLOOD_MUTE_MS);
  }

  /** A sender left: its open gaps will never be repaired. */
  forgetPeer(peer: string): void {
    this.loss.forgetPeer(peer);
  }

  /** Once a second: NACKs due even without traffic, and give-ups as one report per sender. */
  sweep(): void {
    this.round();
    for (const gap of this.loss.takeGivenUp()) this.host.gaveUp(gap);
    this.reportGaps();
  }

  stats(): { lossDetected: number; lossRecovered: number; lossGivenUp: number; lossOutOfScope: number; lossRecoveredLate: number; repairsSent: number; answersLimited: number } {
    const { detected, recovered, givenUp, recoveredLate, outOfScope } = this.loss.stats;
    return {
      lossDetected: detected,
      lossRecovered: recovered,
      lossGivenUp: givenUp,
      lossOutOfScope: outOfScope,
      lossRecoveredLate: recoveredLate,
      repairsSent: this.buffer.resent,
      answersLimited: this.buffer.refused + this.buffer.overAnswer + this.historyLimited,
    };
  }

  dispose(): void {
    this.tick?.cancel();
    this.tick = null;
    this.sync.dispose();
  }

  /** Runs while gaps are open. */
  private schedule(): void {
    if (this.tick || this.loss.missingCount() === 0) return;
    this.tick = this.host.clock.after(REPAIR_TICK_MS, () => {
      this.tick = null;
      this.round();
      this.schedule();
    });
  }

  private round(): void {
    const nacks = this.loss.poll(this.host.clock.now());
    // Said before the NACKs go out: a repair can come back before send returns.
    this.reportGaps();
    for (const nack of nacks) {
      this.host.send([this.host.frame({ t: 'nack', peer: this.host.peerId, to: nack.peer, toSess: nack.sess, seqs: nack.ranges.map(([a, b]) => [a, b] as [number, number]) })]);
    }
    if (nacks.length > 0) this.host.counted('nack', nacks.length);
  }

  private reportGaps(): void {
    const reports = this.loss.takeGapReports();
    if (reports.length > 0) this.host.gapsChanged(reports);
  }

  /**
   * Resends recent messages to a newcomer: the marker first so other peers stand down (its body
   * the senders' keys, which their datagrams do not carry), then paced, each message at its
   * relay TTL (relayTtl). Only messages whose sender's key we know, of at most as many senders
   * as the marker has room for.
   */
  private async answerHistory(rid: string, max: number): Promise<void> {
    const now = this.host.clock.now();
    const { messages: wanted, keys } = withKnownSenders(this.recent.latest(max, now), this.host.histKeyRoom(), (peer) => this.host.keyOf(peer));
    const limit = Math.min(HISTORY_ANSWER_MAX_BYTES, this.budget.available(now));
    const messages = newestWithin(wanted, limit);
    // A second pass of what fits in the rest of the same budget (all of a short history, the
    // newest of a long one): nothing asks for a lost history datagram again, and from one pass
    // at 10 % loss newcomers kept 24-29 of 30 (scale lab). Two passes lose ~1 in 100.
    const again = newestWithin(messages, limit - bytesOf(messages));
    this.budget.take(bytesOf(messages) + bytesOf(again), now);
    for (const left of wanted.slice(0, wanted.length - messages.length)) this.historyLimited += left.datagrams.length;
    const senders = new Set(messages.map((m) => m.peer));
    const body = histKeysBody([...keys].filter(([peer]) => senders.has(peer)).map(([, key]) => key));
    // Said twice, at once: with 10 % loss, 3 of 30 peers missed a single `hist` and answered too
    // (scale lab); a second copy even 20 ms later came after some of their timers had fired.
    // Both copies carry the keys: a newcomer that lost the first needs them from the second.
    const hist = () => this.host.frame({ t: 'hist', peer: this.host.peerId, rid, count: messages.length }, body);
    await this.host.sendPaced([hist(), hist()]);
    for (const [pass, resent] of [messages, again].entries()) {
      // Apart: a loss burst (a busy access point, a full socket buffer) should not take both copies.
      if (pass > 0 && resent.length > 0) await new Promise<void>((resolve) => this.host.clock.after(HISTORY_REPEAT_GAP_MS, resolve));
      for (const chunk of historyChunks(resent)) {
        if (!this.host.isJoined()) return;
        await this.host.sendPaced(chunk.datagrams, chunk.ttl);
        await new Promise<void>((resolve) => this.host.clock.after(HISTORY_PACE_MS, resolve));
      }
      // Messages answered: the second pass repeats them.
      if (pass === 0) this.host.counted('history', resent.length);
    }
  }
}

/**
 * The newest messages (oldest first) whose senders' keys we know, of at most `room` senders,
 * and those senders' keys. A message of a sender whose key we never learned is left out: the
 * newcomer could not verify it.
 */
function withKnownSenders(messages: readonly LoggedMessage[], room: number, keyOf: (peer: string) => Uint8Array | undefined): { messages: LoggedMessage[]; keys: Map<string, Uint8Array> } {
  const keys = new Map<string, Uint8Array>();
  const kept: LoggedMessage[] = [];
  const unknown = new Set<string>();
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as LoggedMessage;
    if (!keys.has(message.peer)) {
      if (unknown.has(message.peer) || keys.size >= room) continue;
      const key = keyOf(message.peer);
      if (key === undefined) {
        unknown.add(message.peer);
        continue;
      }
      keys.set(message.peer, key);
    }
    kept.push(message);
  }
  return { messages: kept.reverse(), keys };
}

function bytesOf(messages: readonly LoggedMessage[]): number {
  let bytes = 0;
  for (const message of messages) for (const datagram of message.datagrams) bytes += datagram.length;
  return bytes;
}

/** The newest messages (oldest first) whose datagrams fit in `maxBytes`. */
function newestWithin(messages: readonly LoggedMessage[], maxBytes: number): LoggedMessage[] {
  let bytes = 0;
  let start = messages.length;
  while (start > 0) {
    const size = bytesOf([messages[start - 1] as LoggedMessage]);
    if (bytes + size > maxBytes) break;
    bytes += size;
    start--;
  }
  return messages.slice(start);
}

/** Consecutive messages of one relay TTL, HISTORY_CHUNK datagrams at most per chunk. */
function historyChunks(messages: readonly LoggedMessage[]): { datagrams: Uint8Array[]; ttl: number }[] {
  const chunks: { datagrams: Uint8Array[]; ttl: number }[] = [];
  for (const message of messages) {
    const ttl = relayTtl(message);
    for (const datagram of message.datagrams) {
      const last = chunks[chunks.length - 1];
      if (last && last.ttl === ttl && last.datagrams.length < HISTORY_CHUNK) last.datagrams.push(datagram);
      else chunks.push({ datagrams: [datagram], ttl });
    }
  }
  return chunks;
}
