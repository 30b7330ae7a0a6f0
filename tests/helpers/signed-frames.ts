import { SIGNATURE_TAIL_BYTES } from '../../shared/protocol/constants.js';
import { randomBytes } from 'node:crypto';
import { generateIdentity, type Identity } from '../../electron/core/crypto/identity.js';
import { roomKeyFromBytes, type RoomKey } from '../../electron/core/crypto/room-key.js';
import { encodeFrame, splitChat } from '../../shared/protocol/codec.js';
import { introduces, sealedFrame, sealedReserve, signedFrame, signedReserve, toBase64Url, type FrameSigner } from '../../shared/protocol/envelope.js';
import type { ChatHeader, FrameHeader } from '../../shared/protocol/frame.js';

/**
 * A peer made by hand for tests: frames signed (and sealed, with a key) the way the app does,
 * so a test can put a stranger's datagrams on the wire without a whole core.
 */
export interface TestPeer {
  readonly identity: Identity;
  readonly peerId: string;
  readonly sess: string;
  /** One datagram for any frame; `peer` is filled in. */
  frame(header: DistributiveOmit<FrameHeader, 'peer'>, body?: Uint8Array): Uint8Array;
  /** The datagrams of one chat message. */
  chat(header: Omit<ChatHeader, 't' | 'frag' | 'peer'>, text: string): Uint8Array[];
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * `introduce`: 'always' (the default) puts the key and session start in every frame, so a test's
 * first datagram is enough for a receiver that never heard of this peer (a one-shot sender does
 * the same); 'introductions' does what a member does: only hello, sync, probe, reach, hist, nack.
 */
export function testPeer(options: { identity?: Identity; key?: RoomKey; startedAt?: number; introduce?: 'always' | 'introductions' } = {}): TestPeer {
  const identity = options.identity ?? generateIdentity();
  const sess = randomBytes(8).toString('hex');
  const st = options.startedAt ?? Date.now();
  const always = (options.introduce ?? 'always') === 'always';
  let n = 0;
  const pk = toBase64Url(identity.publicKey);
  const signer: FrameSigner = { envelope: (introduce) => ({ sess, n: n++, ...(introduce ? { st, pk } : {}) }), sign: (data) => identity.sign(data) };
  const key = options.key;
  const wire = (header: FrameHeader, body: Uint8Array): Uint8Array => {
    const introduce = always || introduces(header.t);
    return key ? sealedFrame(encodeFrame(header, body), identity.peerId, signer, { kid: key.id, seal: (nonce, aad, pt) => key.seal(nonce, aad, pt) }, introduce) : signedFrame(header, body, signer, introduce);
  };
  return {
    identity,
    peerId: identity.peerId,
    sess,
    frame: (header, body = new Uint8Array(0)) => wire({ ...header, peer: identity.peerId } as FrameHeader, body),
    chat: (header, text) => splitChat({ ...header, peer: identity.peerId, sess }, text, key ? sealedReserve(always) : signedReserve(always)).map((p) => wire(p.header, p.body)),
  };
}

/** A random room key, for tests that do not need scrypt. */
export function testRoomKey(): RoomKey {
  return roomKeyFromBytes(randomBytes(32));
}

/**
 * The datagram with the first `from` (ASCII) replaced by `to`, byte for byte: a forgery of its
 * header. Byte for byte: a sealed datagram's ciphertext would not survive text and back.
 */
export function patchAscii(datagram: Uint8Array, from: string, to: string): Uint8Array {
  const text = Buffer.from(datagram).toString('latin1');
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`"${from}" is not in the datagram`);
  return Uint8Array.from(Buffer.from(text.slice(0, at) + to + text.slice(at + from.length), 'latin1'));
}

/** A v2 datagram as text without its signature line (the last 87 bytes): marker, header, line feed, body. */
export function textOf(datagram: Uint8Array): string {
  return new TextDecoder().decode(datagram.subarray(0, Math.max(0, datagram.length - SIGNATURE_TAIL_BYTES)));
}

/** A line feed and 86 base64url characters: where a v2 datagram's signature goes (all zero bytes, so it never verifies). */
export const ZERO_SIGNATURE_TAIL = new TextEncoder().encode(`\n${'A'.repeat(86)}`);

/** The datagram with one character of its signature changed to another base64url character: still well formed, no longer valid. */
export function withForgedSignature(datagram: Uint8Array): Uint8Array {
  const forged = Uint8Array.from(datagram);
  const at = forged.length - 10;
  forged[at] = forged[at] === 0x41 ? 0x42 : 0x41;
  return forged;
}
