/**
 * Start (core): from creating the core to all 10 saved rooms joined, the way the app starts
 * (electron/shell/lifecycle.ts rejoinSavedRooms, one room after the other).
 */
import { BENCH_TTL, LOOPBACK, assertSafeEndpoint, type Endpoint } from '../lib/endpoints.js';
import { failStartup, post, serveCommands, workerConfig } from './io.js';

export interface StartReport {
  readonly startMs: number;
  /** Loading the core's modules (bundled, as in the app; compiled on the fly when run under tsx). */
  readonly importMs: number;
  /** Since this process started: Node, module loading and the start itself. */
  readonly sinceProcessStartMs: number;
  readonly joined: number;
}

const rooms = workerConfig<{ rooms: readonly Endpoint[] }>().rooms;
rooms.forEach(assertSafeEndpoint);

const importStart = performance.now();
const { createChatCore } = await import('../../electron/core/chat-core.js');
const { rejoinSavedRooms } = await import('../../electron/shell/lifecycle.js');
const t0 = performance.now();
const core = createChatCore({ nickname: 'bench-start', appVersion: 'multicast-chat-bench/1', defaultIface: LOOPBACK });
const notices: string[] = [];
const saved = rooms.map((r, i) => ({ name: `room ${i}`, group: r.group, port: r.port, ttl: BENCH_TTL, loopback: true, iface: LOOPBACK }));
const joined = await rejoinSavedRooms(saved, { core, pinnedIface: LOOPBACK, notice: (n) => notices.push(n.message) }).catch(failStartup);
const t1 = performance.now();
if (joined !== rooms.length) failStartup(new Error(`joined ${joined} of ${rooms.length} rooms: ${notices.join('; ')}`));

serveCommands({
  stop: async () => {
    await core.close();
    process.exit(0);
  },
});
post('ready', { startMs: t1 - t0, importMs: t0 - importStart, sinceProcessStartMs: t1, joined } satisfies StartReport);
