/**
 * The measured side: a real ChatCore pinned to loopback, joined to one room, its events fed to
 * the UI batcher the way the IPC bridge does. Counts what the batcher pushes.
 */
import { createChatCore } from '../../electron/core/chat-core.js';
import { roomKeyFromBytes } from '../../electron/core/crypto/room-key.js';
import { BENCH_TTL, LOOPBACK, assertSafeEndpoint, type Endpoint } from '../lib/endpoints.js';
import { LoopDelayMonitor } from '../lib/loop-delay.js';
import { createUiSink } from '../lib/ui-batcher.js';
import type { ReceiverReport } from './bare-receiver.js';
import { cpuMicros, failStartup, monotonicMicros, post, serveCommands, workerConfig } from './io.js';

/** `loopDelay`: watch the event loop's delay over the measured window (lib/loop-delay.ts). */
export interface CoreReceiverConfig extends Endpoint {
  readonly keyHex?: string;
  readonly loopDelay?: boolean;
}

const endpoint = workerConfig<CoreReceiverConfig>();
const key = endpoint.keyHex ? roomKeyFromBytes(Buffer.from(endpoint.keyHex, 'hex')) : null;
assertSafeEndpoint(endpoint);
const core = createChatCore({ nickname: 'bench-rx', appVersion: 'multicast-chat-bench/1', defaultIface: LOOPBACK });
const { batcher, tally } = createUiSink();
core.subscribe((event) => batcher.add(event));
const room = await core.joinRoom({ group: endpoint.group, port: endpoint.port, ttl: BENCH_TTL, iface: LOOPBACK }, key ? { key } : {}).catch(failStartup);

function snapshot() {
  const c = core.counters(room.roomId);
  return { at: performance.now(), us: monotonicMicros(), cpu: cpuMicros(), c, pushes: tally.pushes, messages: tally.messages, gaps: tally.gaps };
}

const loop = endpoint.loopDelay ? new LoopDelayMonitor() : null;
let mark = snapshot();
serveCommands({
  mark: () => {
    tally.largestPush = 0;
    loop?.start();
    mark = snapshot();
    return null;
  },
  report: (): ReceiverReport => {
    const now = snapshot();
    const c = now.c;
    const d = (key: keyof typeof c): number => c[key] - mark.c[key];
    const delay = loop?.read();
    return {
      datagrams: d('datagramsIn'),
      delivered: now.messages - mark.messages,
      ms: now.at - mark.at,
      cpuMs: (now.cpu - mark.cpu) / 1000,
      extra: {
        pushes: now.pushes - mark.pushes,
        largestPush: tally.largestPush,
        chatMessagesIn: d('chatMessagesIn'),
        floodDropped: d('floodDropped'),
        duplicates: d('duplicates'),
        invalidFrames: d('invalidFrames'),
        // Protocol v2: refused unverified (no key known yet), so cheaper than a verified datagram.
        unknownSender: d('unknownSender'),
        lossDetected: d('lossDetected'),
        lossGivenUp: d('lossGivenUp'),
        nacksSent: d('nacksSent'),
        gapMessagesShown: now.gaps - mark.gaps,
        peers: core.peers(room.roomId).length,
        ...(delay ? { loopDelayP50Ms: delay.p50Ms, loopDelayP99Ms: delay.p99Ms, loopDelayMaxMs: delay.maxMs, loopDelaySamples: delay.samples } : {}),
      },
      window: { fromUs: mark.us, toUs: now.us },
    };
  },
  stop: async () => {
    batcher.dispose();
    await core.close();
    process.exit(0);
  },
});
post('ready');
