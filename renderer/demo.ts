import type { ChatMessage, GapReport, PeerMeter } from '../shared/events.js';
import type { McchatApi } from '../shared/ipc/contract.js';
import { createFakeApi, type FakeMcchat } from './fake-api.js';

/**
 * The browser demo (a build with VITE_MCCHAT_DEMO=1 only): a fake main process with a few
 * rooms and people talking. `?firstRun` shows the nickname prompt; `?bulk=100000` fills the
 * lobby to try the log's scrolling; `?history=5000` stores that many older lobby messages to
 * page back through (default 600); `?reconnecting` leaves the lab room reconnecting; `?pinned`
 * pins the window to 127.0.0.1; `?quiet` stops the chatter for stable screenshots.
 */
const LINES = [
  'Has anyone tried TTL 32 across the lab router?',
  'The slides are at https://example.org/multicast/lecture-7.pdf (page 12).',
  'javascript:alert(1) should stay plain text',
  '<img src=x onerror=alert(1)> is just text here',
  'IGMP snooping on the lab switch floods 224.0.0.x to every port.',
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  'Two lines\nin one message.',
  'Grüße aus dem Labor 👋',
];
const PEOPLE = ['alice', 'bob', 'carol'];

export function startDemo(params: URLSearchParams): McchatApi {
  const fake = createFakeApi({
    // Before the first choice the core announces a stand-in name (main's fallbackNickname), as the app does.
    nickname: params.has('firstRun') ? 'guest' : 'you',
    firstRun: params.has('firstRun'),
    ...(params.has('pinned') ? { pinnedIface: '127.0.0.1' } : {}),
  });
  void seed(fake, params);
  return fake;
}

async function seed(fake: FakeMcchat, params: URLSearchParams): Promise<void> {
  const lobby = await fake.joinRoom({ name: 'lobby', group: '239.255.42.99', port: 4242, ttl: 1 });
  const lab = await fake.joinRoom({ name: 'lab switch', group: '224.0.0.251', port: 5353, ttl: 32 });
  const broken = await fake.joinRoom({ name: 'broken', group: '239.255.0.7', port: 5007 });
  if (!lobby.ok || !lab.ok || !broken.ok) return;
  fake.updateRoom(broken.value.roomId, {
    status: 'error',
    error: { code: 'PORT_IN_USE', message: 'Port 5007 is taken by another program that does not share it. Close that program or pick another port.' },
  });

  // Yesterday's conversation, on "disk": the log loads it a page at a time when scrolled to the top.
  const stored = Math.min(Number(params.get('history') ?? 600) || 0, 200_000);
  const yesterday = Date.now() - 26 * 60 * 60_000;
  fake.remember(
    lobby.value.roomId,
    Array.from({ length: stored }, (_, i) => ({ nick: PEOPLE[i % 3], text: `Yesterday: ${LINES[i % LINES.length]} (#${i + 1})`, ts: yesterday + i * 60_000 })),
  );

  const start = Date.now() - 60 * 60_000;
  const bulk = Math.min(Number(params.get('bulk') ?? 0) || 0, 200_000);
  for (let i = 0; i < bulk; i++) {
    fake.receive(lobby.value.roomId, { nick: PEOPLE[i % 3], text: `${LINES[i % LINES.length]} (#${i + 1})`, ts: start + i * 10 });
  }
  const recent = LINES.map((text, i) => fake.receive(lobby.value.roomId, { nick: PEOPLE[i % 3], text, ts: Date.now() - (LINES.length - i) * 30_000 }));
  fake.receive(lobby.value.roomId, { raw: true, text: 'hello from the python sender', src: '192.168.1.23:40113' });
  fake.receive(lab.value.roomId, { nick: 'dave', text: 'mDNS group, so the switch floods this everywhere.' });
  // Loss in place: a run of bob's messages repaired, one of carol's lost (and the old give-up report, which the marker replaces).
  showLoss(fake, lobby.value.roomId, recent);
  fake.reportGap(lobby.value.roomId, 'carol', 1);
  fake.reportFlood(lobby.value.roomId, { nick: 'mallory', src: '198.18.1.66:6666', dropped: 1234 });
  if (params.has('reconnecting')) fake.updateRoom(lab.value.roomId, { status: 'reconnecting' });

  if (params.has('quiet')) return;
  let n = 0;
  setInterval(() => {
    n++;
    fake.receive(lobby.value.roomId, { nick: PEOPLE[n % 3], text: `${LINES[n % LINES.length]}`, ttl: n % 2 ? 1 : 32 });
    if (n % 4 === 0) fake.receive(lab.value.roomId, { nick: 'dave', text: `Still here (${n}).` });
  }, 2_500);
}

/** Loss markers and per-peer meters, as the core would report them after some loss and repair. */
function showLoss(fake: FakeMcchat, roomId: string, recent: readonly ChatMessage[]): void {
  const gap = (revealing: ChatMessage | undefined, patch: Partial<GapReport>): GapReport => ({
    id: `demo:${revealing?.id ?? ''}`,
    peerId: revealing?.peerId ?? '',
    nick: revealing?.nick ?? '',
    first: 4,
    last: 5,
    count: 2,
    repaired: 0,
    lost: 0,
    outOfScope: 0,
    nacks: 1,
    state: 'asking',
    order: revealing?.order ?? '',
    ...patch,
  });
  const bob = recent[4];
  const carol = recent[5];
  fake.emit([
    { type: 'loss', roomId, gap: gap(bob, { state: 'repaired', repaired: 2, nacks: 2 }) },
    { type: 'loss', roomId, gap: gap(carol, { first: 7, last: 7, count: 1, state: 'lost', lost: 1, nacks: 12 }) },
  ]);
  const meter = (message: ChatMessage | undefined, m: Partial<PeerMeter>): PeerMeter => ({ peerId: message?.peerId ?? '', received: 0, gaps: 0, repaired: 0, lost: 0, duplicates: 0, reordered: 0, late: 0, ...m });
  fake.reportMeter(roomId, [meter(recent[0], { received: 3, duplicates: 3 }), meter(bob, { received: 3, gaps: 2, repaired: 2, reordered: 1 }), meter(carol, { received: 2, gaps: 1, lost: 1 })]);
}
