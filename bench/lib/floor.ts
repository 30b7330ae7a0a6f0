/**
 * The physical floor of receiving one datagram, measured on this machine in this run: one bare
 * Ed25519 verification (node:crypto with a KeyObject parsed once, as the core caches them) and,
 * for a passphrase room, one bare AES-256-GCM open, each of a real datagram's bytes (encoded by
 * the codec through a FrameGate, decoded by the codec: exactly what the core verifies and opens).
 */
import { createDecipheriv, createPublicKey, createSecretKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { roomKeyFromBytes } from '../../electron/core/crypto/room-key.js';
import { decodeDatagram } from '../../shared/protocol/codec.js';
import { nonceOf } from '../../shared/protocol/envelope.js';
import { ChatFrameMaker, fakePeer } from './frames.js';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const TAG_BYTES = 16;

export interface FloorCosts {
  /** CPU µs of one bare Ed25519 verification of the datagram's signed bytes. */
  readonly verifyUs: number;
  /** CPU µs of one bare AES-256-GCM open of its sealed body (0 for a plain room). */
  readonly openUs: number;
  /** Size of the datagram measured. */
  readonly datagramBytes: number;
}

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** CPU µs per call of `op`, over at least `ms` of CPU time, after a warm-up. */
function cpuPerCall(op: () => boolean, ms: number): number {
  for (let i = 0; i < 200; i++) if (!op()) throw new Error('the floor operation failed on a valid datagram');
  const start = cpuMicros();
  let calls = 0;
  while (cpuMicros() - start < ms * 1000) {
    for (let i = 0; i < 100; i++) op();
    calls += 100;
  }
  return (cpuMicros() - start) / calls;
}

/** Bare costs for one chat datagram of `textBytes` (sealed with `keyHex` when given). */
export function measureFloor(textBytes: number, ms: number, keyHex?: string): FloorCosts {
  const keyBytes = keyHex ? Buffer.from(keyHex, 'hex') : null;
  // A chat frame after a hello (protocol v2: no key in it), as the receive-floor senders send
  // (lib/receive-floor.ts): the same bytes the core verifies, with the key its hello introduced.
  const who = fakePeer(0);
  const maker = new ChatFrameMaker(who, textBytes, keyBytes ? roomKeyFromBytes(keyBytes) : null, false);
  const datagram = maker.next(Date.now());
  const decoded = decodeDatagram(datagram);
  if (decoded.kind !== 'frame' && decoded.kind !== 'sealed') throw new Error(`the codec did not decode its own datagram (${decoded.kind})`);
  const sig = decoded.signature;
  const publicKey: KeyObject = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, who.identity.publicKey]), format: 'der', type: 'spki' });
  const verifyUs = cpuPerCall(() => verify(null, sig.signed, publicKey, sig.signature), ms);
  let openUs = 0;
  if (decoded.kind === 'sealed') {
    if (!keyBytes) throw new Error('a sealed datagram without a key');
    const secret = createSecretKey(keyBytes);
    const { sess = '', n = 0 } = decoded.header;
    const nonce = nonceOf(sess, n);
    const body = decoded.sealed.subarray(0, decoded.sealed.length - TAG_BYTES);
    const tag = decoded.sealed.subarray(decoded.sealed.length - TAG_BYTES);
    openUs = cpuPerCall(() => {
      const decipher = createDecipheriv('aes-256-gcm', secret, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(sig.aad);
      decipher.setAuthTag(tag);
      decipher.update(body);
      decipher.final();
      return true;
    }, ms);
  }
  return { verifyUs, openUs, datagramBytes: datagram.length };
}

/** A fresh passphrase room key, hex (what the senders and the core receiver join with). */
export function randomKeyHex(): string {
  return randomBytes(32).toString('hex');
}
