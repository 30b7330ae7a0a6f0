/**
 * Anti-replay for one sender session, as IPsec does it (RFC 4303 §3.4.3, RFC 6479): remember the
 * highest counter accepted and a bitmap of which of the W counters below it were accepted.
 * Datagrams may arrive out of order (repairs, two interfaces) and still pass, each exactly once;
 * anything W or more behind the highest is refused as too old to tell.
 */

export const REPLAY_WINDOW_SIZE = 1024;
const MAX_COUNTER = 0xffff_ffff;

export type WindowVerdict = 'ok' | 'replay' | 'too-old';

export class ReplayWindow {
  /** The highest counter accepted; -1 before the first. */
  private highest = -1;
  /** Bit (n mod W) says whether counter n was accepted, for n in (highest - W, highest]. */
  private readonly bits: Uint32Array;

  /**
   * `size` (W, a multiple of 32) must cover how far behind a legitimate datagram can arrive:
   * reordering, and repairs of datagrams the sender sent up to W datagrams earlier.
   */
  constructor(readonly size: number = REPLAY_WINDOW_SIZE) {
    if (!Number.isInteger(size) || size < 32 || size % 32 !== 0) throw new RangeError(`A replay window size is a positive multiple of 32, got ${size}.`);
    this.bits = new Uint32Array(size / 32);
  }

  /** The highest counter accepted so far, or -1. */
  get highestAccepted(): number {
    return this.highest;
  }

  /** What `accept(n)` would make of `n`, without changing anything (the cheap pre-check). */
  check(n: number): WindowVerdict {
    // A counter that is not a uint32 cannot be honest: refuse it the same way as an ancient one.
    if (!Number.isInteger(n) || n < 0 || n > MAX_COUNTER) return 'too-old';
    if (n > this.highest) return 'ok';
    if (n <= this.highest - this.size) return 'too-old';
    return this.isSet(n) ? 'replay' : 'ok';
  }

  /** Records `n` as seen. Call it only for a datagram that passed every check; refused counters are ignored. */
  accept(n: number): void {
    if (this.check(n) !== 'ok') return;
    if (n > this.highest) this.slideTo(n);
    this.bits[(n % this.size) >>> 5]! |= 1 << (n & 31);
  }

  /**
   * Treats every counter up to `n` as already seen: a window rebuilt after its state was
   * forgotten must not let the old counters through a second time.
   */
  static seenUpTo(n: number, size: number = REPLAY_WINDOW_SIZE): ReplayWindow {
    const window = new ReplayWindow(size);
    if (Number.isInteger(n) && n >= 0 && n <= MAX_COUNTER) {
      window.highest = n;
      window.bits.fill(0xffff_ffff);
    }
    return window;
  }

  private isSet(n: number): boolean {
    return (this.bits[(n % this.size) >>> 5]! & (1 << (n & 31))) !== 0;
  }

  /** Moves the top of the window to `n`, clearing the bits of the counters it skips. */
  private slideTo(n: number): void {
    const gap = n - this.highest;
    if (gap >= this.size) {
      this.bits.fill(0);
    } else {
      for (let k = this.highest + 1; k <= n; k++) {
        this.bits[(k % this.size) >>> 5]! &= ~(1 << (k & 31));
      }
    }
    this.highest = n;
  }
}
