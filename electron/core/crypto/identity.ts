/**
 * An installation's Ed25519 identity: signs every frame it sends, and its public key names it
 * (the peer id is a hash of the key, so nobody can claim a peer id without its private key).
 * Keys are node:crypto KeyObjects, so the private key stays in OpenSSL's memory rather than
 * lingering in JavaScript strings and buffers.
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { BoundedMap } from './bounded-map.js';

export const PUBLIC_KEY_BYTES = 32;
export const SEED_BYTES = 32;
export const SIGNATURE_BYTES = 64;

export interface Identity {
  /** The raw 32-byte Ed25519 public key, as it goes on the wire. */
  readonly publicKey: Uint8Array;
  /** `peerIdOf(publicKey)`: 16 lowercase hex. */
  readonly peerId: string;
  /** A 64-byte Ed25519 signature of `data`. */
  sign(data: Uint8Array): Uint8Array;
  /** The 32-byte private seed, for the identity store only: whoever has it is this peer. */
  exportSeed(): Uint8Array;
}

// node:crypto imports raw Ed25519 keys only wrapped in ASN.1: these fixed prefixes (RFC 8410)
// turn 32 raw bytes into a PKCS#8 private key or an SPKI public key.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A fresh identity from 32 bytes of the OS's random generator. */
export function generateIdentity(): Identity {
  // Going through a seed (rather than generateKeyPairSync) keeps one code path for new and
  // restored identities.
  const seed = randomBytes(SEED_BYTES);
  try {
    return identityFromSeed(seed);
  } finally {
    seed.fill(0);
  }
}

/** The identity whose private seed is `seed` (what `exportSeed` gave). */
export function identityFromSeed(seed: Uint8Array): Identity {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) {
    throw new Error(`An Ed25519 private seed is ${SEED_BYTES} bytes; got ${seed instanceof Uint8Array ? `${seed.length} bytes` : typeof seed}.`);
  }
  const der = Buffer.concat([PKCS8_PREFIX, seed]);
  try {
    return fromPrivateKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
  } finally {
    der.fill(0); // the seed now lives in the KeyObject only
  }
}

/**
 * True when `signature` is `publicKey`'s signature of `data`. Never throws: the inputs come off
 * the network, so a malformed key or signature is just a failed verification.
 */
export function verifySignature(publicKey: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  if (!(data instanceof Uint8Array) || !(signature instanceof Uint8Array) || signature.length !== SIGNATURE_BYTES) return false;
  const key = publicKeyObject(publicKey);
  if (key === null) return false;
  try {
    return verify(null, data, key, signature);
  } catch {
    return false;
  }
}

/** First 8 bytes of SHA-256(publicKey) as 16 lowercase hex: the peer id a key speaks as. */
export function peerIdOf(publicKey: Uint8Array): string {
  return createHash('sha256').update(publicKey).digest().subarray(0, 8).toString('hex');
}

/** The peer id in groups of 4 ("a1b2 c3d4 e5f6 0718"): short enough to read out loud and compare. */
export function fingerprintOf(publicKey: Uint8Array): string {
  return peerIdOf(publicKey).replace(/(.{4})(?!$)/g, '$1 ');
}

/**
 * Parsed public keys by their bytes. Parsing a key costs about 70 µs, two thirds of what a
 * verification costs (100 µs), and a room verifies the same few keys over and over. Bounded,
 * so a flood of invented keys cannot grow it; malformed keys are cached as null so they are
 * refused without parsing again.
 */
const keyCache = new BoundedMap<string, KeyObject | null>(1024);

function fromPrivateKey(privateKey: KeyObject): Identity {
  const publicKeyObj = createPublicKey(privateKey);
  const spki = publicKeyObj.export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(SPKI_PREFIX.length));
  const peerId = peerIdOf(publicKey);
  // Our own key is verified against on every echo of our frames: seed the cache with it.
  keyCache.set(cacheKey(publicKey), publicKeyObj);
  return Object.freeze({
    get publicKey(): Uint8Array {
      // A copy: a caller that scribbles on it must not change who we are.
      return publicKey.slice();
    },
    peerId,
    sign(data: Uint8Array): Uint8Array {
      // A plain Uint8Array (a copy): deep equality treats Buffer and Uint8Array as different.
      return new Uint8Array(sign(null, data, privateKey));
    },
    exportSeed(): Uint8Array {
      const jwk = privateKey.export({ format: 'jwk' });
      if (typeof jwk.d !== 'string') throw new Error('The private key could not be exported.');
      // Small Buffers share Node's allocation pool: copy the seed out and wipe the pooled bytes.
      const pooled = Buffer.from(jwk.d, 'base64url');
      const seed = new Uint8Array(pooled);
      pooled.fill(0);
      return seed;
    },
  });
}

function cacheKey(publicKey: Uint8Array): string {
  return Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('latin1');
}

function publicKeyObject(publicKey: Uint8Array): KeyObject | null {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_BYTES) return null;
  const id = cacheKey(publicKey);
  const cached = keyCache.get(id);
  if (cached !== undefined) return cached;
  let key: KeyObject | null;
  try {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  } catch {
    key = null;
  }
  keyCache.set(id, key);
  return key;
}
