/**
 * A core with a history store in a temporary folder (removed on stop), pinned to loopback.
 * 'answerer': joins, sends `messages` messages of its own (stored on disk and kept for
 * newcomers), then answers the newcomer's sync as any member would. 'newcomer': on 'join',
 * joins the room asking for `messages` messages and reports its event-loop delay from the
 * moment it joined until the answer has arrived.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createChatCore } from '../../electron/core/chat-core.js';
import { openRoomHistory } from '../../electron/core/history/index.js';
import { BENCH_TTL, LOOPBACK, assertSafeEndpoint, type Endpoint } from '../lib/endpoints.js';
import { LoopDelayMonitor, type LoopDelay } from '../lib/loop-delay.js';
import { createUiSink } from '../lib/ui-batcher.js';
import { cpuMicros, failStartup, monotonicMicros, post, serveCommands, sleep, workerConfig } from './io.js';

export interface HistoryCoreConfig {
  readonly endpoint: Endpoint;
  readonly role: 'answerer' | 'newcomer';
  readonly messages: number;
  readonly textBytes: number;
}

export interface NewcomerReport {
  readonly delay: LoopDelay;
  readonly messages: number;
  readonly historyMessages: number;
  /** Join resolved to the first and to the last message event. */
  readonly firstMs: number;
  readonly lastMs: number;
  readonly windowMs: number;
  readonly cpuMs: number;
  /** The window on the CPU profile's clock. */
  readonly window: { readonly fromUs: number; readonly toUs: number };
}

const config = workerConfig<HistoryCoreConfig>();
assertSafeEndpoint(config.endpoint);
const dir = await mkdtemp(path.join(os.tmpdir(), 'mcchat-bench-history-'));
const core = createChatCore({
  nickname: `bench-${config.role}`,
  appVersion: 'multicast-chat-bench/1',
  defaultIface: LOOPBACK,
  historyRequest: config.messages,
  openHistory: (roomId, options) => openRoomHistory(dir, roomId, options),
});
const { batcher } = createUiSink();
core.subscribe((event) => batcher.add(event));
const join = () => core.joinRoom({ ...config.endpoint, ttl: BENCH_TTL, iface: LOOPBACK });

async function stop(): Promise<void> {
  batcher.dispose();
  await core.close();
  await rm(dir, { recursive: true, force: true });
  process.exit(0);
}

if (config.role === 'answerer') {
  try {
    const room = await join();
    const text = (i: number): string => `stored message ${i} `.padEnd(config.textBytes, 'x');
    for (let i = 0; i < config.messages; i++) await core.send(room.roomId, text(i));
  } catch (error) {
    failStartup(error);
  }
  serveCommands({ stop });
  post('ready', { sent: config.messages });
} else {
  serveCommands({
    stop,
    join: async (): Promise<NewcomerReport> => {
      const loop = new LoopDelayMonitor();
      let messages = 0;
      let historyMessages = 0;
      let firstAt = Number.NaN;
      let lastAt = Number.NaN;
      core.subscribe((event) => {
        if (event.type !== 'message') return;
        messages++;
        if (event.message.history) historyMessages++;
        lastAt = performance.now();
        if (Number.isNaN(firstAt)) firstAt = lastAt;
      });
      await join();
      // The sync request is out; the answer comes after a 20-400 ms jitter, paced over ~0.3 s.
      loop.start();
      const fromUs = monotonicMicros();
      const start = performance.now();
      const cpu = cpuMicros();
      const deadline = start + 15_000;
      while (messages < config.messages && performance.now() < deadline) await sleep(20);
      await sleep(100); // the last UI push and history write
      const delay = loop.read();
      loop.stop();
      return { delay, messages, historyMessages, firstMs: firstAt - start, lastMs: lastAt - start, windowMs: performance.now() - start, cpuMs: (cpuMicros() - cpu) / 1000, window: { fromUs, toUs: monotonicMicros() } };
    },
  });
  post('ready', {});
}
