import type { ChatMessage, RoomSnapshot } from '../shared/events.js';

/**
 * Plausible datagrams for a message of the fake main process, so the inspector has something to
 * take apart in tests and the browser demo: the real layout (marker, header with the signed
 * envelope and the signature last, line feed, text; sealed in a passphrase room), with a made-up
 * key and signature that no one could verify. Deterministic per message id.
 */
const encoder = new TextEncoder();
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

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

function frame(header: object, body: Uint8Array): Uint8Array {
  const head = encoder.encode(`MCC1 ${JSON.stringify(header)}\n`);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
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
  const st = message.ts - 60_000;
  const pk = chars(next, B64URL, 43);
  const count = Math.max(1, message.fragments);
  return pieces(message.text, count).map((text, index) => {
    const envelope = { sess, st, n: (message.seq ?? 0) + index, pk };
    const chat = {
      t: 'chat',
      peer,
      nick: message.nick ?? 'someone',
      id: message.id,
      seq: message.seq ?? 0,
      ttl: message.ttl ?? 1,
      ts: message.ts,
      hlc: [message.ts, 0],
      ...(count > 1 ? { frag: [index, count] } : {}),
    };
    const sig = chars(next, B64URL, 86);
    if (!room.encrypted) return base64(frame({ ...chat, ...envelope, sig }, encoder.encode(text)));
    const inner = frame({ ...chat, sess }, encoder.encode(text));
    const sealed = Uint8Array.from({ length: inner.length + 16 }, () => next() & 0xff);
    return base64(frame({ t: 'enc', peer, kid: room.keyId ?? '00000000', ...envelope, sig }, sealed));
  });
}
