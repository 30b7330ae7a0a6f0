/** One side of the core latency measurement: a ChatCore sending the probe, or one receiving it. */
import { createChatCore } from '../../electron/core/chat-core.js';
import { BENCH_TTL, LOOPBACK, assertSafeEndpoint } from '../lib/endpoints.js';
import { hostNanos, pace, probeText, readProbe, sinceSentMs, type Probe } from '../lib/pacer.js';
import type { ChatMessage } from '../../shared/events.js';
import { createUiSink } from '../lib/ui-batcher.js';
import type { LatencyConfig, LatencyGo, LatencyReport } from './latency-bare.js';
import { failStartup, post, serveCommands, workerConfig } from './io.js';

const config = workerConfig<LatencyConfig>();
assertSafeEndpoint(config.endpoint);
const core = createChatCore({ nickname: `bench-${config.role}`, appVersion: 'multicast-chat-bench/1', defaultIface: LOOPBACK });
const samples: number[] = [];
const uiSamples: number[] = [];
let received = 0;

if (config.role === 'receive') {
  // The UI side as the IPC bridge has it: the probe is timed at the core's event and at the push
  // (there without parsing again, so the measurement adds little work to the process it measures).
  const probes = new WeakMap<ChatMessage, Probe>();
  const { batcher } = createUiSink((events) => {
    const now = hostNanos();
    for (const event of events) {
      const probe = event.type === 'message' ? probes.get(event.message) : undefined;
      if (probe) uiSamples[probe.index] = sinceSentMs(probe, now);
    }
  });
  core.subscribe((event) => {
    if (event.type === 'message' && !event.message.own) {
      const now = hostNanos();
      const probe = readProbe(event.message.text);
      if (probe) {
        received++;
        samples[probe.index] = sinceSentMs(probe, now);
        probes.set(event.message, probe);
      }
    }
    batcher.add(event);
  });
}

const room = await core.joinRoom({ group: config.endpoint.group, port: config.endpoint.port, ttl: BENCH_TTL, iface: LOOPBACK }).catch(failStartup);
let sendErrors = 0;

serveCommands({
  go: async (data) => {
    const { rate, count } = data as LatencyGo;
    await pace(rate, count, (i) => void core.send(room.roomId, probeText(i, config.textBytes)).catch(() => sendErrors++));
    return null;
  },
  report: (): LatencyReport => {
    const c = core.counters(room.roomId);
    return {
      samplesMs: Array.from(samples, (v) => v ?? Number.NaN),
      uiSamplesMs: Array.from(uiSamples, (v) => v ?? Number.NaN),
      received,
      extra: { floodDropped: c.floodDropped, lossDetected: c.lossDetected, nacksSent: c.nacksSent, sendErrors },
    };
  },
  stop: async () => {
    await core.close();
    process.exit(0);
  },
});
post('ready');
