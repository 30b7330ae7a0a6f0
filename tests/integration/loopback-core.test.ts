import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, CoreEvent } from '../../shared/events.js';
import { testPeer } from '../helpers/signed-frames.js';
import { createChatCore } from '../../electron/core/chat-core.js';
import type { ChatCore } from '../../electron/core/types.js';
import { sleep, waitFor } from '../helpers/wait.js';

// Network safety: every core here is pinned to loopback.
const IFACE = '127.0.0.1';
const cores: ChatCore[] = [];
const sockets: dgram.Socket[] = [];

afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  for (const s of sockets.splice(0)) s.close();
});

interface TestPeer {
  core: ChatCore;
  events: CoreEvent[];
  texts: (roomId?: string) => string[];
  messages: () => ChatMessage[];
}

function peer(nickname: string, presenceIntervalMs = 5_000, presenceTimeoutMs = 17_500): TestPeer {
  const core = createChatCore({ nickname, appVersion: 'test/1', defaultIface: IFACE, presenceIntervalMs, presenceTimeoutMs });
  cores.push(core);
  const events: CoreEvent[] = [];
  core.subscribe((e) => events.push(e));
  const messages = (): ChatMessage[] => events.flatMap((e) => (e.type === 'message' && !e.message.own ? [e.message] : []));
  return { core, events, messages, texts: (roomId) => messages().filter((m) => !roomId || m.roomId === roomId).map((m) => m.text) };
}

function plainSocket(): dgram.Socket {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  sockets.push(socket);
  return socket;
}

async function plainSend(text: string | Uint8Array, group: string, port: number): Promise<number> {
  const socket = plainSocket();
  await new Promise<void>((resolve) => socket.bind(0, IFACE, () => resolve()));
  socket.setMulticastInterface(IFACE);
  socket.setMulticastTTL(1);
  await new Promise<void>((resolve, reject) => socket.send(text, port, group, (e) => (e ? reject(e) : resolve())));
  return socket.address().port;
}

describe('the core over real sockets on loopback', () => {
  it('lets three peers chat, each seeing the others once and not itself', async () => {
    const room = { group: '239.255.42.101', port: 46001 };
    const id = '239.255.42.101:46001';
    const [a, b, c] = [peer('alice'), peer('bob'), peer('carol')];
    for (const p of [a, b, c]) await p.core.joinRoom(room);
    await a.core.send(id, 'from alice');
    await b.core.send(id, 'from bob');
    await c.core.send(id, 'from carol');
    await waitFor(() => a.messages().length === 2 && b.messages().length === 2 && c.messages().length === 2, 'all messages');
    await sleep(100);
    expect(a.texts().sort()).toEqual(['from bob', 'from carol']);
    expect(b.texts().sort()).toEqual(['from alice', 'from carol']);
    expect(c.texts().sort()).toEqual(['from alice', 'from bob']);
    expect(b.messages().find((m) => m.nick === 'alice')).toMatchObject({ ttl: 1, peerId: a.core.peerId, kind: 'chat' });
  });

  it('shows who joins and who leaves', async () => {
    const room = { group: '239.255.42.102', port: 46002 };
    const id = '239.255.42.102:46002';
    const a = peer('alice');
    const b = peer('bob');
    await a.core.joinRoom(room);
    await b.core.joinRoom(room);
    await waitFor(() => a.core.peers(id).length === 1 && b.core.peers(id).length === 1, 'mutual presence');
    expect(a.core.peers(id)[0]).toMatchObject({ nick: 'bob', app: 'test/1', addresses: ['127.0.0.1'] });
    await b.core.leaveRoom(id);
    await waitFor(() => a.core.peers(id).length === 0, 'goodbye');
    expect(a.events.find((e) => e.type === 'peer-left')).toMatchObject({ reason: 'bye', peer: { nick: 'bob' } });
  });

  it('times out a peer that stops announcing', async () => {
    const room = { group: '239.255.42.103', port: 46003 };
    const id = '239.255.42.103:46003';
    const a = peer('alice', 200, 700); // ghost's 500 ms interval scales this to 1.75 s
    await a.core.joinRoom(room);
    await plainSend(testPeer().frame({ t: 'hello', nick: 'ghost', app: 'x', ivl: 500 }), room.group, room.port);
    await waitFor(() => a.core.peers(id).length === 1, 'ghost appears');
    await waitFor(() => a.core.peers(id).length === 0, 'ghost times out', 5_000);
    expect(a.events.find((e) => e.type === 'peer-left')).toMatchObject({ reason: 'timeout', peer: { nick: 'ghost' } });
  });

  it('shows a plain dgram datagram as raw, with its source ip:port', async () => {
    const room = { group: '239.255.42.104', port: 46004 };
    const a = peer('alice');
    await a.core.joinRoom(room);
    const srcPort = await plainSend('Hello Everyone!', room.group, room.port);
    const [raw] = await waitFor(() => a.messages().length > 0 && a.messages(), 'raw datagram');
    expect(raw).toMatchObject({ kind: 'raw', text: 'Hello Everyone!', src: `127.0.0.1:${srcPort}`, ttl: null, nick: null, peerId: null });
    expect(a.core.counters('239.255.42.104:46004').rawDatagrams).toBe(1);
  });

  it('keeps two rooms on the same port apart (the socket is bound to its group)', async () => {
    const port = 46005;
    const a = peer('alice');
    const b = peer('bob');
    await a.core.joinRoom({ group: '239.255.42.105', port });
    await a.core.joinRoom({ group: '239.255.42.106', port });
    await b.core.joinRoom({ group: '239.255.42.105', port });
    await b.core.joinRoom({ group: '239.255.42.106', port });
    await a.core.send(`239.255.42.105:${port}`, 'only in 105');
    await a.core.send(`239.255.42.106:${port}`, 'only in 106');
    await plainSend('stranger in 107', '239.255.42.107', port);
    await waitFor(() => b.messages().length === 2, 'both messages');
    await sleep(200);
    expect(b.texts(`239.255.42.105:${port}`)).toEqual(['only in 105']);
    expect(b.texts(`239.255.42.106:${port}`)).toEqual(['only in 106']);
    expect(b.core.counters(`239.255.42.105:${port}`).rawDatagrams).toBe(0);
  });

  it('carries an 8 KiB message in fragments and reassembles it', async () => {
    const room = { group: '239.255.42.108', port: 46008 };
    const a = peer('alice');
    const b = peer('bob');
    await a.core.joinRoom(room);
    await b.core.joinRoom(room);
    const text = 'Ω'.repeat(4096);
    const sent = await a.core.send('239.255.42.108:46008', text);
    const [got] = await waitFor(() => b.messages().length > 0 && b.messages(), 'big message');
    expect(got?.text).toBe(text);
    expect(got?.fragments).toBe(sent.fragments);
  });

  it('refuses an interface that is not on this machine, with a sentence', async () => {
    const a = peer('alice');
    await expect(a.core.joinRoom({ group: '239.255.42.110', port: 46010, iface: '198.18.250.250' })).rejects.toMatchObject({ code: 'INTERFACE_NOT_FOUND' });
  });
});
