import type { ChatMessage, PeerInfo, RoomSnapshot } from '../shared/events.js';
import { connect } from './connect.js';
import { createFakeApi, type FakeMcchat, type FakeOptions } from './fake-api.js';

/** A fake main process the store is already connected to, as after start-up. */
export async function connectedFake(options: FakeOptions = {}): Promise<FakeMcchat> {
  const fake = createFakeApi({ nickname: 'me', ...options });
  await connect(fake);
  return fake;
}

export async function joinRoom(fake: FakeMcchat, name: string, group: string, port = 4242): Promise<RoomSnapshot> {
  const result = await fake.joinRoom({ name, group, port });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

export function room(overrides: Partial<RoomSnapshot> = {}): RoomSnapshot {
  return {
    roomId: 'r1',
    name: 'lobby',
    group: '239.255.42.99',
    port: 4242,
    ttl: 1,
    loopback: true,
    iface: null,
    status: 'joined',
    interfaces: [{ name: 'eth0', address: '192.168.1.10' }],
    warnings: [],
    error: null,
    groupFiltered: true,
    encrypted: false,
    keyId: null,
    ...overrides,
  };
}

let nextId = 1;
export function message(overrides: Partial<ChatMessage> = {}): ChatMessage {
  const id = String(nextId++);
  return {
    kind: 'chat',
    roomId: 'r1',
    id: `m${id}`,
    text: `hello ${id}`,
    nick: 'alice',
    peerId: 'aaaa111122223333',
    src: '192.168.1.20:4242',
    ttl: 1,
    seq: Number(id),
    ts: 1_700_000_000_000,
    receivedAt: 1_700_000_000_000,
    own: false,
    fragments: 1,
    bytes: 40,
    order: `${String(1_700_000_000_000).padStart(15, '0')}.${id.padStart(6, '0')}.aaaa111122223333`,
    ...overrides,
  };
}

export function peer(overrides: Partial<PeerInfo> = {}): PeerInfo {
  return {
    peerId: 'aaaa111122223333',
    nick: 'alice',
    app: 'Multicast Chat 0.1.0',
    addresses: ['192.168.1.20:4242'],
    firstSeen: 1,
    flooding: false,
    lastSeen: 1,
    fingerprint: 'aaaa 1111 2222 3333',
    verified: false,
    impersonates: null,
    ...overrides,
  };
}
