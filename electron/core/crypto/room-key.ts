/**
 * The key of a passphrase room: scrypt turns the passphrase into 32 bytes, AES-256-GCM seals
 * every datagram with them. The salt names the room, so one passphrase used for two rooms gives
 * two unrelated keys, and an attacker's precomputed guesses for one room are useless for another.
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, scrypt, type KeyObject } from 'node:crypto';

export { passphraseStrength, type PassphraseStrength } from './passphrase-strength.js';

/**
 * scrypt's cost, fixed by the protocol (every peer must derive the same key). N=2^17, r=8 needs
 * 128 MiB and about a third of a second: cheap once per room join, expensive per offline guess.
 * maxmem leaves room above the 128 MiB, which node's default limit (32 MiB) would refuse.
 */
export const ROOM_KEY_KDF = Object.freeze({ N: 2 ** 17, r: 8, p: 1, keyLength: 32, maxmem: 256 * 1024 * 1024 });
export const ROOM_KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
const KEY_ID_LABEL = 'multicast-chat key id';

export interface RoomKey {
  /**
   * 8 hex, sent with each datagram: tells a wrong passphrase (another id) apart from damage
   * (same id, bad tag). It gives an offline guesser nothing the GCM tag does not already give.
   */
  readonly id: string;
  /** AES-256-GCM: ciphertext followed by the 16-byte tag. `nonce` must never repeat under this key. */
  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** The plaintext, or null when anything (key, nonce, aad, one bit of `sealed`) is not as sealed. Never throws. */
  open(nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null;
  /** The 32 key bytes, so the shell can keep them protected by the OS instead of asking again. */
  exportBytes(): Uint8Array;
}

/** The room salt: versioned and bound to the room's group and port. */
export function roomSalt(group: string, port: number): Buffer {
  return Buffer.from(`multicast-chat room key v1\0${group}:${port}`, 'utf8');
}

/**
 * Derives a room's key from its passphrase (NFC-normalised first, so the same passphrase typed
 * on macOS and Windows gives the same key). `cost` exists only so tests can run with N=2^10.
 */
export async function deriveRoomKey(passphrase: string, group: string, port: number, cost?: { N: number }): Promise<RoomKey> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new Error('A room passphrase must not be empty.');
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new RangeError(`A port is an integer 1–65535, got ${port}.`);
  const N = cost?.N ?? ROOM_KEY_KDF.N;
  if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0) throw new RangeError(`scrypt's N must be a power of two, got ${N}.`);
  const password = Buffer.from(passphrase.normalize('NFC'), 'utf8');
  try {
    const bytes = await new Promise<Buffer>((resolve, reject) => {
      // The async form runs on libuv's thread pool: a third of a second must not freeze the app.
      scrypt(password, roomSalt(group, port), ROOM_KEY_KDF.keyLength, { N, r: ROOM_KEY_KDF.r, p: ROOM_KEY_KDF.p, maxmem: ROOM_KEY_KDF.maxmem }, (error, key) =>
        error ? reject(error) : resolve(key),
      );
    });
    try {
      return roomKeyFromBytes(bytes);
    } finally {
      bytes.fill(0);
    }
  } finally {
    password.fill(0);
  }
}

/** A room key from its 32 bytes (a key restored from the OS keychain, or a test's). */
export function roomKeyFromBytes(key: Uint8Array): RoomKey {
  if (!(key instanceof Uint8Array) || key.length !== ROOM_KEY_BYTES) {
    throw new Error(`A room key is ${ROOM_KEY_BYTES} bytes; got ${key instanceof Uint8Array ? `${key.length} bytes` : typeof key}.`);
  }
  const copy = Buffer.from(key);
  const secret: KeyObject = createSecretKey(copy);
  copy.fill(0); // Buffer.from may have put it in Node's shared pool; the KeyObject has its own copy
  const id = createHmac('sha256', secret).update(KEY_ID_LABEL).digest().subarray(0, 4).toString('hex');
  return Object.freeze({
    id,
    seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
      if (nonce.length !== NONCE_BYTES) throw new RangeError(`An AES-GCM nonce is ${NONCE_BYTES} bytes; got ${nonce.length}.`);
      const cipher = createCipheriv('aes-256-gcm', secret, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad);
      const head = cipher.update(plaintext);
      const tail = cipher.final();
      const tag = cipher.getAuthTag();
      const sealed = new Uint8Array(head.length + tail.length + TAG_BYTES);
      sealed.set(head, 0);
      sealed.set(tail, head.length);
      sealed.set(tag, head.length + tail.length);
      return sealed;
    },
    open(nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null {
      if (!(nonce instanceof Uint8Array) || !(sealed instanceof Uint8Array) || nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', secret, nonce, { authTagLength: TAG_BYTES });
        decipher.setAAD(aad);
        decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
        const head = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
        // final() throws when the tag does not match: only then is `head` known to be authentic.
        const tail = decipher.final();
        const plain = new Uint8Array(head.length + tail.length);
        plain.set(head, 0);
        plain.set(tail, head.length);
        return plain;
      } catch {
        return null;
      }
    },
    exportBytes(): Uint8Array {
      const exported = secret.export();
      const bytes = new Uint8Array(exported);
      exported.fill(0);
      return bytes;
    },
  });
}

/**
 * The 12-byte nonce of a sender's `counter`-th datagram in session `sess`: the 8 session bytes,
 * then the counter big-endian. Sessions are random per run, so two senders (or two runs of one)
 * never share a nonce prefix; within a session the counter never repeats, and the sender starts
 * a new session before the counter would wrap. The counter counts datagrams, not messages: the
 * fragments of one message share a `seq` but each needs its own counter (a byte-identical resend
 * may reuse its original's, since it seals the same plaintext).
 */
export function nonceFor(sess: string, counter: number): Uint8Array {
  if (!/^[0-9a-f]{16}$/.test(sess)) throw new RangeError(`A session id is 16 lowercase hex characters, got "${sess}".`);
  if (!Number.isInteger(counter) || counter < 0 || counter > 0xffff_ffff) throw new RangeError(`A nonce counter is a uint32, got ${counter}.`);
  const nonce = new Uint8Array(NONCE_BYTES);
  nonce.set(Buffer.from(sess, 'hex'), 0);
  new DataView(nonce.buffer).setUint32(8, counter, false);
  return nonce;
}
