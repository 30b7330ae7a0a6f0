import { afterEach } from 'vitest';
import type { ChatMessage, CoreEvent } from '../../shared/events.js';
import { createChatCore } from '../../electron/core/chat-core.js';
import { FakeClock } from '../../electron/core/clock.js';
import type { ChatCore, ChatCoreOptions } from '../../electron/core/types.js';
import { FakeNetwork, LAN } from './fake-network.js';

/** A core on the fake network, with what it emitted; closed after each test of the file. */
export interface TestCore {
  readonly core: ChatCore;
  readonly events: CoreEvent[];
  /** Other peers' messages it showed, in order. */
  shown(): ChatMessage[];
}

const cores: ChatCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

export function coreOn(net: FakeNetwork, clock: FakeClock, nick: string, extra: Partial<ChatCoreOptions> = {}): TestCore {
  const core = createChatCore({ nickname: nick, appVersion: 't/1', socketFactory: net.factoryFor(nick), clock, interfaces: () => [LAN], platform: 'linux', networkPollMs: 0, ...extra });
  cores.push(core);
  const events: CoreEvent[] = [];
  core.subscribe((e) => events.push(e));
  return { core, events, shown: () => events.flatMap((e) => (e.type === 'message' && !e.message.own ? [e.message] : [])) };
}

/** Advances the fake clock in steps, letting promise chains (paced answers, TTL switches) run between them. */
export async function settle(clock: FakeClock, ms: number, stepMs = 10): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    clock.advance(stepMs);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The usual start of a two-peer test: alice and bob in one room on a fresh fake network, presence settled. */
export async function aliceAndBob(
  room: { readonly group: string; readonly port: number; readonly ttl?: number },
  /** Shapes the network before anyone joins (losses, distances between hosts). */
  shape: (net: FakeNetwork) => void = () => undefined,
): Promise<{ net: FakeNetwork; clock: FakeClock; alice: TestCore; bob: TestCore }> {
  const net = new FakeNetwork();
  shape(net);
  const clock = new FakeClock();
  const alice = coreOn(net, clock, 'alice');
  const bob = coreOn(net, clock, 'bob');
  await alice.core.joinRoom(room);
  await bob.core.joinRoom(room);
  await settle(clock, 200);
  return { net, clock, alice, bob };
}
