import type { FrameHeader, NackHeader } from '../../../shared/protocol/frame.js';
import type { Clock, TimerHandle } from '../clock.js';
import { LossDetector, type GapGivenUp, type LossTiming } from './loss-detector.js';
import { RecentLog } from './recent-log.js';
import { RepairBuffer } from './repair-buffer.js';
import { SyncResponder } from './sync-responder.js';

export interface RepairHost {
  readonly clock: Clock;
  readonly peerId: string;
  /** Our session: NACKs for an older one are not ours to answer. */
  readonly sess: string;
  readonly lossTiming?: LossTiming;
  /** A control frame as the room puts it on the wire (signed, sealed in a passphrase room). */
  frame(header: FrameHeader): Uint8Array;
  /** Sends on the room's sockets; failures are the host's to report. */
  send(datagrams: readonly Uint8Array[]): void;
  /** Sends and waits, for paced history answers; never rejects. */
  sendPaced(datagrams: readonly Uint8Array[]): Promise<void>;
  isJoined(): boolean;
  gaveUp(gap: GapGivenUp): void;
  /** Repair traffic counters changed. */
  counted(what: 'nack' | 'history', n: number): void;
}

const REPAIR_TICK_MS = 20;
/** After the last flood drop from a peer, its holes are ignored this long. */
const FLOOD_MUTE_MS = 2_000;
/** History answers are paced: this many datagrams per tick of HISTORY_PACE_MS. */
const HISTORY_CHUNK = 40;
const HISTORY_PACE_MS = 20;
/** What a newcomer can get from us: the last this many messages of the last day. */
const RECENT_MESSAGES = 500;
const RECENT_MAX_AGE_MS = 24 * 3600_000;

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
  private tick: TimerHandle | null = null;

  constructor(private readonly host: RepairHost) {
    this.loss = new LossDetector(host.lossTiming);
    this.sync = new SyncResponder(host.clock, (rid, max) => void this.answerHistory(rid, max));
  }

  /** Our own message, kept for resends and for newcomers. */
  sent(seq: number, key: string, datagrams: readonly Uint8Array[], now: number): void {
    this.buffer.remember(seq, datagrams, now);
    this.recent.add(key, datagrams, now);
  }

  /** Someone's message: tracked for loss when it is live (not history), kept for newcomers. */
  received(message: { peer: string; sess: string | undefined; nick: string; seq: number; live: boolean }, key: string, datagrams: readonly Uint8Array[], now: number): void {
    if (message.sess !== undefined) {
      if (message.live) this.loss.received(message.peer, message.sess, message.nick, message.seq, now);
      else this.loss.receivedHistoric(message.peer, message.sess, message.nick, message.seq, now);
      this.schedule();
    }
    this.recent.add(key, datagrams, now);
  }

  /** A message from the room's stored history, so we can answer newcomers after a restart. */
  restored(key: string, datagrams: readonly Uint8Array[], at: number): void {
    this.recent.add(key, datagrams, at);
  }

  heardAnnouncement(peer: string, sess: string, nick: string, next: number, now: number): void {
    this.loss.lead(peer, sess, nick, next, now);
    this.schedule();
  }

  heardNack(nack: NackHeader, now: number): void {
    if (nack.to === this.host.peerId && nack.toSess === this.host.sess) {
      const repairs = this.buffer.repairsFor(nack.seqs, now);
      if (repairs.length > 0) this.host.send(repairs);
    } else {
      this.loss.heardNack(nack.to, nack.toSess, nack.seqs, now);
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
  }

  stats(): { lossDetected: number; lossRecovered: number; lossGivenUp: number; repairsSent: number } {
    const { detected, recovered, givenUp } = this.loss.stats;
    return { lossDetected: detected, lossRecovered: recovered, lossGivenUp: givenUp, repairsSent: this.buffer.resent };
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
    for (const nack of nacks) {
      this.host.send([this.host.frame({ t: 'nack', peer: this.host.peerId, to: nack.peer, toSess: nack.sess, seqs: nack.ranges.map(([a, b]) => [a, b] as [number, number]) })]);
    }
    if (nacks.length > 0) this.host.counted('nack', nacks.length);
  }

  /** Resends recent messages to a newcomer: the marker first so other peers stand down, then paced. */
  private async answerHistory(rid: string, max: number): Promise<void> {
    const messages = this.recent.latest(max, this.host.clock.now());
    await this.host.sendPaced([this.host.frame({ t: 'hist', peer: this.host.peerId, rid, count: messages.length })]);
    const datagrams = messages.flatMap((m) => m.datagrams);
    for (let start = 0; start < datagrams.length && this.host.isJoined(); start += HISTORY_CHUNK) {
      await this.host.sendPaced(datagrams.slice(start, start + HISTORY_CHUNK));
      await new Promise<void>((resolve) => this.host.clock.after(HISTORY_PACE_MS, resolve));
    }
    this.host.counted('history', messages.length);
  }
}
