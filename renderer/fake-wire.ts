import type { ChatMessage, RoomSnapshot } from '../shared/events.js';

/**
 * Plausible datagrams for a message of the fake main process, so the inspector has something to
 * take apart in tests and the browser demo: the real layout (marker, header with the envelope,
 * line feed, text, a line feed and the signature's 86 base64url characters last; sealed in a passphrase room), with a made-up
 * signature that no one could verify. Deterministic per message id.
 */
const encoder = new TextEncoder();
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** xorshift32 seeded from a string: the same message always gets the same bytes. */
function randomFrom(seed: string): () => number {
  let state = 0x9e3779b9;
  for (const ch of seed) state = Math.imul(state ^ (ch.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

const chars = (next: () => number, alphabet: string, length: number): string => Array.from({ length }, () => alphabet[next() % alphabet.length]).join('');

function frame(header: object, body: Uint8Array, signature: Uint8Array = new Uint8Array(0)): Uint8Array {
  const head = encoder.encode(`MCC2 ${JSON.stringify(header)}\n`);
  const out = new Uint8Array(head.length + body.length + signature.length);
  out.set(head, 0);
  out.set(body, head.length);
  out.set(signature, head.length + body.length);
  return out;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Splits text into `count` pieces between code points. */
function pieces(text: string, count: number): string[] {
  const points = [...text];
  const size = Math.ceil(points.length / count);
  return Array.from({ length: count }, (_, i) => points.slice(i * size, (i + 1) * size).join(''));
}

/** The message's datagrams, base64 as main sends them; null for a raw datagram (its bytes are not kept). */
export function fakeWire(message: ChatMessage, room: Pick<RoomSnapshot, 'encrypted' | 'keyId'>): string[] | null {
  if (message.kind !== 'chat' || message.peerId === null) return null;
  const next = randomFrom(message.id);
  const peer = message.peerId;
  const sess = chars(next, '0123456789abcdef', 16);
  const count = Math.max(1, message.fragments);
  return pieces(message.text, count).map((text, index) => {
    const chat = {
      t: 'chat',
      peer,
      nick: message.nick ?? 'someone',
      sess,
      seq: message.seq ?? 0,
      ttl: message.ttl ?? 1,
      ts: message.ts,
      ...(count > 1 ? { frag: [index, count] } : {}),
    };
    const n = (message.seq ?? 0) + index;
    // The last character's low bits are zero in a real signature's text ('A' keeps it canonical).
    const signature = encoder.encode(`\n${chars(next, BASE64URL, 85)}A`);
    if (!room.encrypted) return base64(frame({ ...chat, n }, encoder.encode(text), signature));
    const inner = frame(chat, encoder.encode(text));
    const sealed = Uint8Array.from({ length: inner.length + 16 }, () => next() & 0xff);
    return base64(frame({ t: 'enc', peer, kid: room.keyId ?? '00000000', sess, n }, sealed, signature));
  });
}
