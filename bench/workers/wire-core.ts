/**
 * What the core puts on the wire, captured on loopback: a real ChatCore (the app's version
 * string, a typical nickname) joined to one room, and a bare socket in the same group that
 * keeps the core's own datagrams. 'chat' sends a message through core.send() and returns its
 * datagram; 'presence' waits until the core knows the room's other members, makes it announce
 * (core.refresh(), as after a network change) and returns the hello it sent.
 */
import type dgram from 'node:dgram';
import { createChatCore } from '../../electron/core/chat-core.js';
import { INTRODUCING_CHATS_MS } from '../../electron/core/frame-gate.js';
import { APP_VERSION } from '../../electron/core/version.js';
import { decodeDatagram, readMarker } from '../../shared/protocol/codec.js';
import { BENCH_TTL, LOOPBACK, assertSafeEndpoint, type Endpoint } from '../lib/endpoints.js';
import { closeSocket, loopbackReceiver } from '../lib/loopback-socket.js';
import { failStartup, post, serveCommands, sleep, workerConfig } from './io.js';

export interface WireConfig {
  readonly endpoint: Endpoint;
  readonly nickname: string;
}

export interface ChatWire {
  readonly datagrams: number;
  readonly bytes: number;
  /** What core.send() said the message took on the wire (ChatMessage.bytes). */
  readonly reportedBytes: number;
  readonly headerBytes: number;
  readonly headerIsJson: boolean;
  /** The header's fields by the bytes each takes ("key":value,), largest first. */
  readonly fields: string;
}

export interface PresenceWire {
  readonly peers: number;
  readonly helloBytes: number;
  /** The announce interval the hello states (`ivl`): what the core uses at this room size. */
  readonly intervalMs: number;
}

const config = workerConfig<WireConfig>();
assertSafeEndpoint(config.endpoint);
const core = createChatCore({ nickname: config.nickname, appVersion: `multicast-chat/${APP_VERSION}`, defaultIface: LOOPBACK, networkPollMs: 0 });
const own: { at: number; data: Buffer }[] = [];
let listener: dgram.Socket | undefined;
let roomId = '';
let joinedAt = 0;
try {
  listener = await loopbackReceiver(config.endpoint);
  listener.on('message', (data) => {
    const decoded = decodeDatagram(data);
    if ((decoded.kind === 'frame' || decoded.kind === 'sealed') && decoded.header.peer === core.peerId) own.push({ at: performance.now(), data });
  });
  roomId = (await core.joinRoom({ ...config.endpoint, ttl: BENCH_TTL, iface: LOOPBACK })).roomId;
  joinedAt = performance.now();
} catch (error) {
  failStartup(error);
}

function headerOf(data: Buffer): { bytes: number; json: boolean; fields: string } {
  const start = readMarker(data)?.end ?? 0;
  const end = data.indexOf(0x0a, start);
  const text = data.subarray(start, end < 0 ? data.length : end).toString('utf8');
  try {
    const parsed = JSON.parse(text) as unknown;
    const entries = typeof parsed === 'object' && parsed !== null ? Object.entries(parsed) : [];
    const sizes = entries.map(([k, v]) => [k, Buffer.byteLength(`${JSON.stringify(k)}:${JSON.stringify(v)},`)] as const).sort((a, b) => b[1] - a[1]);
    return { bytes: Buffer.byteLength(text), json: true, fields: sizes.map(([k, n]) => `${k} ${n}`).join(', ') };
  } catch {
    return { bytes: Buffer.byteLength(text), json: false, fields: '' };
  }
}

/** The core's own datagrams of type `t` captured since `since`, waiting up to `ms` for `count`. */
async function captured(t: string, since: number, count: number, ms: number): Promise<Buffer[]> {
  const deadline = performance.now() + ms;
  for (;;) {
    const found = own.filter((d) => d.at >= since).map((d) => d.data).filter((d) => {
      const decoded = decodeDatagram(d);
      return decoded.kind === 'frame' && decoded.header.t === t;
    });
    if (found.length >= count || performance.now() > deadline) return found;
    await sleep(10);
  }
}

serveCommands({
  chat: async (text: unknown): Promise<ChatWire> => {
    // A member's usual chat frame: in the first 2 s after joining they carry the key too.
    const early = INTRODUCING_CHATS_MS + 100 - (performance.now() - joinedAt);
    if (early > 0) await sleep(early);
    const since = performance.now();
    const message = await core.send(roomId, String(text));
    const datagrams = await captured('chat', since, message.fragments, 2_000);
    const first = datagrams[0];
    if (!first) throw new Error('the chat datagram was not seen on loopback');
    const header = headerOf(first);
    return { datagrams: datagrams.length, bytes: datagrams.reduce((s, d) => s + d.length, 0), reportedBytes: message.bytes, headerBytes: header.bytes, headerIsJson: header.json, fields: header.fields };
  },
  presence: async (others: unknown): Promise<PresenceWire> => {
    const want = Number(others);
    const deadline = performance.now() + 15_000;
    while (core.peers(roomId).length < want && performance.now() < deadline) await sleep(20);
    const peers = core.peers(roomId).length;
    if (peers < want) throw new Error(`the core saw ${peers} of ${want} peers`);
    await sleep(200);
    const since = performance.now();
    await core.refresh();
    await sleep(300);
    const hellos = await captured('hello', since, 1, 2_000);
    const last = hellos[hellos.length - 1];
    if (!last) throw new Error('no hello of the core seen on loopback');
    const decoded = decodeDatagram(last);
    const ivl = decoded.kind === 'frame' && decoded.header.t === 'hello' ? decoded.header.ivl : undefined;
    if (typeof ivl !== 'number') throw new Error('the hello states no interval');
    return { peers, helloBytes: last.length, intervalMs: ivl };
  },
  stop: async () => {
    if (listener) await closeSocket(listener);
    await core.close();
    process.exit(0);
  },
});
post('ready', { peerId: core.peerId });
