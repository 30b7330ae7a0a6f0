/** A core in 10 rooms, its events fed to the UI batcher as in the app, reporting its memory. */
import { createChatCore } from '../../electron/core/chat-core.js';
import { BENCH_TTL, LOOPBACK, assertSafeEndpoint, type Endpoint } from '../lib/endpoints.js';
import { createUiSink } from '../lib/ui-batcher.js';
import { failStartup, post, serveCommands, sleep, workerConfig } from './io.js';

export interface MemoryConfig {
  readonly rooms: readonly Endpoint[];
}

export interface MemoryReport {
  readonly rssMB: number;
  readonly heapUsedMB: number;
  readonly externalMB: number;
  readonly maxRssMB: number;
  readonly rssAfterGcMB: number;
  readonly heapUsedAfterGcMB: number;
  readonly messages: number;
  readonly minPeersPerRoom: number;
  readonly maxPeersPerRoom: number;
}

const MB = 1024 * 1024;
const config = workerConfig<MemoryConfig>();
config.rooms.forEach(assertSafeEndpoint);
const core = createChatCore({ nickname: 'bench-rx', appVersion: 'multicast-chat-bench/1', defaultIface: LOOPBACK });
const { batcher } = createUiSink();
core.subscribe((event) => batcher.add(event));
const roomIds: string[] = [];
try {
  for (const room of config.rooms) roomIds.push((await core.joinRoom({ ...room, ttl: BENCH_TTL, iface: LOOPBACK })).roomId);
} catch (error) {
  failStartup(error);
}

const messages = (): number => roomIds.reduce((sum, id) => sum + core.counters(id).chatMessagesIn, 0);
const gc = (globalThis as { gc?: () => void }).gc;

serveCommands({
  progress: () => ({ messages: messages() }),
  measure: async (): Promise<MemoryReport> => {
    // Let the last batch flush and the periodic sweeps run once, as they would in the app.
    await sleep(1_100);
    const before = process.memoryUsage();
    const maxRssMB = process.resourceUsage().maxRSS / 1024;
    gc?.();
    const after = process.memoryUsage();
    const peers = roomIds.map((id) => core.peers(id).length);
    return {
      rssMB: before.rss / MB,
      heapUsedMB: before.heapUsed / MB,
      externalMB: (before.external + before.arrayBuffers) / MB,
      maxRssMB,
      rssAfterGcMB: after.rss / MB,
      heapUsedAfterGcMB: after.heapUsed / MB,
      messages: messages(),
      minPeersPerRoom: Math.min(...peers),
      maxPeersPerRoom: Math.max(...peers),
    };
  },
  stop: async () => {
    batcher.dispose();
    await core.close();
    process.exit(0);
  },
});
post('ready', { rssMB: process.memoryUsage().rss / MB, heapUsedMB: process.memoryUsage().heapUsed / MB });
