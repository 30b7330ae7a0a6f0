import { randomBytes } from 'node:crypto';
import { generateIdentity, type Identity } from '../../electron/core/crypto/identity.js';
import { roomKeyFromBytes, type RoomKey } from '../../electron/core/crypto/room-key.js';
import { encodeFrame, splitChat } from '../../shared/protocol/codec.js';
import { SEALED_RESERVE, SIGNED_RESERVE, sealedFrame, signedFrame, toBase64Url, type FrameSigner } from '../../shared/protocol/envelope.js';
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

export function testPeer(options: { identity?: Identity; key?: RoomKey; startedAt?: number } = {}): TestPeer {
  const identity = options.identity ?? generateIdentity();
  const sess = randomBytes(8).toString('hex');
  const st = options.startedAt ?? Date.now();
  let n = 0;
  const signer: FrameSigner = { envelope: () => ({ sess, st, n: n++, pk: toBase64Url(identity.publicKey) }), sign: (data) => identity.sign(data) };
  const key = options.key;
  const wire = (header: FrameHeader, body: Uint8Array): Uint8Array =>
    key ? sealedFrame(encodeFrame(header, body), identity.peerId, signer, { kid: key.id, seal: (nonce, aad, pt) => key.seal(nonce, aad, pt) }) : signedFrame(header, body, signer);
  return {
    identity,
    peerId: identity.peerId,
    sess,
    frame: (header, body = new Uint8Array(0)) => wire({ ...header, peer: identity.peerId } as FrameHeader, body),
    chat: (header, text) => splitChat({ ...header, peer: identity.peerId, sess }, text, key ? SEALED_RESERVE : SIGNED_RESERVE).map((p) => wire(p.header, p.body)),
  };
}

/** A random room key, for tests that do not need scrypt. */
export function testRoomKey(): RoomKey {
  return roomKeyFromBytes(randomBytes(32));
}
