/**
 * Trust on first introduction: the public key of every peer that introduced itself (a hello,
 * sync, probe, reach, hist or nack carries it) or that a history answer named, by peer id. A key
 * certifies itself (the peer id is the first 8 bytes of its SHA-256), so whoever carries it, it
 * can only be the real one. Frames without a key (chat, bye) are verified against this cache.
 * Two tables, like the replay guard's: peers known for a minute or more (or from an earlier run)
 * and strangers, so a flood of fresh identities pushes out strangers only.
 */
import { BoundedMap } from './bounded-map.js';

export const MAX_KEYS_ESTABLISHED = 4_096;
export const MAX_KEYS_STRANGERS = 16_384;
/** A key learned this long ago and heard again is a peer of the room, not a passing stranger. */
/**
 * 10 s: two announcements of a real peer (5 s apart) make it established before a flood of
 * fresh keys pushes out strangers (16,384 of them take ~16 s at the strangers' 1,000 a second).
 * With 60 s, a peer met less than a minute before a flood was evicted, its next chat refused
 * unverified, and CI saw it not shown for 90 s. A flooder that says hello twice 10 s apart can
 * still fill `established` (bounded, LRU), as one waiting 60 s could.
 */
export const KEY_ESTABLISHED_AFTER_MS = 10_000;

export class KeyCache {
  private readonly established = new BoundedMap<string, Uint8Array>(MAX_KEYS_ESTABLISHED);
  private readonly strangers = new BoundedMap<string, { key: Uint8Array; since: number }>(MAX_KEYS_STRANGERS);

  /** `seed`: keys kept from an earlier run (the trust store), established at once. */
  constructor(
    seed: Iterable<readonly [string, Uint8Array]> = [],
    private readonly learned: (peerId: string, key: Uint8Array) => void = () => undefined,
  ) {
    for (const [peerId, key] of seed) this.established.set(peerId, key);
  }

  keyOf(peerId: string): Uint8Array | undefined {
    return this.established.get(peerId) ?? this.strangers.get(peerId)?.key;
  }

  /** A key that hashes to `peerId` (the caller checked). */
  learn(peerId: string, key: Uint8Array, now: number): void {
    if (this.established.get(peerId) !== undefined) return;
    const stranger = this.strangers.peek(peerId);
    if (stranger === undefined) {
      this.strangers.set(peerId, { key, since: now });
      this.learned(peerId, key);
    } else if (now - stranger.since >= KEY_ESTABLISHED_AFTER_MS) {
      this.strangers.delete(peerId);
      this.established.set(peerId, stranger.key);
    } else {
      this.strangers.get(peerId);
    }
  }

  get size(): number {
    return this.established.size + this.strangers.size;
  }
}
